"""The export census counts TF1 export sites before and after the rewrite, per API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from codemods.commands._export.census import main, measure

DYNAMIC = """
import tensorflow as tf

def export(sess, export_dir, inputs, outputs):
    tf.saved_model.simple_save(sess, export_dir, inputs, outputs)
    builder = tf.saved_model.builder.SavedModelBuilder(export_dir + "_b")
    builder.add_meta_graph_and_variables(sess, ["serve"], signature_def_map=make_map())
    builder.save()
"""
SUBCLASSED = """
import tensorflow as tf

class Mine(tf.saved_model.Builder):
    pass

builder = tf.saved_model.Builder("/m")
"""


def test_sites_found_and_converted_per_api(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "dynamic.py").write_text(DYNAMIC)
    (tmp_path / "subclassed.py").write_text(SUBCLASSED)
    cells = [{"cell_type": "code", "source": ["%matplotlib inline\n", DYNAMIC]}]
    (tmp_path / "note.ipynb").write_text(json.dumps({"cells": cells, "metadata": {}}))
    paths = sorted(tmp_path.iterdir())
    totals, problems = measure(paths)
    assert totals["found"] == {"simple_save": 2, "SavedModelBuilder": 3}
    assert totals["converted"] == {"simple_save": 2, "SavedModelBuilder": 2}  # not the subclass
    assert problems == []
    assert (tmp_path / "dynamic.py").read_text() == DYNAMIC  # read, never written
    main([str(tmp_path)])  # exit code 1 only if TensorFlow is loaded (other tests may load it)
    printed = capsys.readouterr().out
    assert "| simple_save | 2 | 2 | 100 % |" in printed and "| all | 5 | 4 | 80 % |" in printed
    assert main([str(tmp_path / "missing")]) == 2
