"""Errors stay one line and keep TensorFlow's cause, not its "Graph execution error:" header."""

from __future__ import annotations

import pytest
import tensorflow as tf

from migrate.errors import InputError, tf_error_line


def test_session_error_keeps_the_cause() -> None:
    """An uninitialized table in a Session: the line is the cause TF buries under a stack trace."""
    graph = tf.Graph()
    with graph.as_default():
        table = tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(["a"], [1]), -1)
        out = table.lookup(tf.constant(["a"]))
        with tf.compat.v1.Session() as session, pytest.raises(tf.errors.OpError) as caught:
            session.run(out)
    assert str(caught.value).lstrip().startswith("Graph execution error")
    assert tf_error_line(caught.value) == "Table not initialized."


def test_migrate_error_is_one_line() -> None:
    error = InputError("is\nbroken.", path="m/saved_model.pb", fix="copy it\nagain.")
    assert str(error) == "m/saved_model.pb: is broken. Fix: copy it again."
