"""Runnable: a Keras model trained in a graph-mode session, exported with K.get_session().

Needs tf-keras and TF_USE_LEGACY_KERAS=1.
Usage: python before.py EXPORT_DIR SCRATCH_DIR
"""

import sys

import numpy as np
import tensorflow.compat.v1 as tf
from tensorflow.compat.v1.keras import backend as K

# tf-migrate: the live export block (codemods/commands/_export/live_template.py) goes here


tf.disable_v2_behavior()
tf.set_random_seed(2)

model = tf.keras.Sequential([
    tf.keras.layers.Dense(6, activation="relu", input_shape=(4,)),
    tf.keras.layers.Dense(2, activation="softmax"),
])
model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
rng = np.random.RandomState(3)
model.fit(rng.rand(32, 4), rng.randint(0, 2, 32), epochs=2, batch_size=8, shuffle=False, verbose=0)

simple_save_tf2(
    K.get_session(),
    sys.argv[1],
    inputs={"features": model.input},
    outputs={t.name.split("/")[0]: t for t in model.outputs},
)
