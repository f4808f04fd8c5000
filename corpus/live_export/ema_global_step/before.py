"""Runnable: ExponentialMovingAverage shadow variables and a global_step (both non-trainable);
the serving outputs read the raw weights and their moving averages.

Usage: python before.py EXPORT_DIR SCRATCH_DIR
"""

import sys

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_eager_execution()  # v2 behaviour otherwise: resource variables, control flow v2
tf.set_random_seed(111)

MOVING_AVERAGE_DECAY = 0.9


class Regressor(object):
    def __init__(self):
        self.inputs = tf.placeholder(tf.float32, [None, 5], name="inputs")
        self.targets = tf.placeholder(tf.float32, [None], name="targets")
        self.global_step = tf.Variable(0, trainable=False, name="global_step", dtype=tf.int64)
        with tf.variable_scope("regressor"):
            self.w = tf.get_variable("w", [5, 1])
            self.b = tf.get_variable("b", [1], initializer=tf.zeros_initializer())
        self.prediction = tf.squeeze(tf.matmul(self.inputs, self.w) + self.b, axis=1)
        loss = tf.reduce_mean(tf.square(self.prediction - self.targets))
        optimizer = tf.train.GradientDescentOptimizer(0.1)
        minimize = optimizer.minimize(loss, global_step=self.global_step)
        self.ema = tf.train.ExponentialMovingAverage(MOVING_AVERAGE_DECAY, self.global_step)
        with tf.control_dependencies([minimize]):
            self.train_op = self.ema.apply(tf.trainable_variables())
        averaged = tf.matmul(self.inputs, self.ema.average(self.w)) + self.ema.average(self.b)
        self.averaged_prediction = tf.squeeze(averaged, axis=1, name="averaged_prediction")


model = Regressor()
rng = np.random.RandomState(112)
sess = tf.Session()
sess.run(tf.global_variables_initializer())
for _ in range(5):
    batch = rng.rand(10, 5)
    sess.run(model.train_op, {model.inputs: batch, model.targets: batch.sum(axis=1)})
print("global step", sess.run(model.global_step))

tf.saved_model.simple_save(
    sess,
    sys.argv[1],
    inputs={"inputs": model.inputs},
    outputs={"prediction": model.prediction, "averaged_prediction": model.averaged_prediction},
)
