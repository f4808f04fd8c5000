"""Runnable: outputs kept on an object (`self.pred` built in __init__), exported elsewhere.

Usage: python before.py EXPORT_DIR SCRATCH_DIR
"""

import sys

import numpy as np
import tensorflow.compat.v1 as tf

# tf-migrate: the live export block (codemods/commands/_export/live_template.py) goes here


tf.disable_v2_behavior()
tf.set_random_seed(4)


class TextClassifier(object):
    def __init__(self, vocab_size, num_classes):
        self.input_x = tf.placeholder(tf.int32, [None, 6], name="input_x")
        self.input_y = tf.placeholder(tf.int32, [None], name="input_y")
        with tf.name_scope("embedding"):
            self.embedding = tf.Variable(tf.random_uniform([vocab_size, 4], -1.0, 1.0), name="W")
            embedded = tf.nn.embedding_lookup(self.embedding, self.input_x)
        with tf.name_scope("output"):
            pooled = tf.reduce_mean(embedded, axis=1)
            self.scores = tf.layers.dense(pooled, num_classes, name="scores")
            self.pred = tf.argmax(self.scores, 1, name="predictions")
        self.loss = tf.reduce_mean(
            tf.nn.sparse_softmax_cross_entropy_with_logits(labels=self.input_y, logits=self.scores)
        )


def train(model, sess):
    train_op = tf.train.AdamOptimizer(0.01).minimize(model.loss)
    sess.run(tf.global_variables_initializer())
    rng = np.random.RandomState(5)
    for _ in range(4):
        sess.run(train_op, {model.input_x: rng.randint(0, 20, (8, 6)), model.input_y: rng.randint(0, 3, 8)})


def export(model, sess, export_dir):
    simple_save_tf2(
        sess, export_dir, inputs={"input_x": model.input_x},
        outputs={"scores": model.scores, "predictions": model.pred},
    )


model = TextClassifier(20, 3)
session = tf.Session()
train(model, session)
export(model, session, sys.argv[1])
