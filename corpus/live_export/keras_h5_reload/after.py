"""Runnable: a Keras model saved to .h5, then reloaded with load_model in a fresh graph with the
learning phase set to inference and exported from K.get_session() (the common "h5 to TF
Serving" script).

Needs tf-keras, h5py and TF_USE_LEGACY_KERAS=1.
Usage: python before.py EXPORT_DIR SCRATCH_DIR  (the .h5 goes to SCRATCH_DIR)
"""

import os
import sys

import numpy as np
import tensorflow.compat.v1 as tf
from tensorflow.compat.v1.keras import backend as K
from tensorflow.compat.v1.keras.models import Sequential, load_model
from tensorflow.compat.v1.keras.layers import BatchNormalization, Dense, Dropout

# tf-migrate: the live export block (codemods/commands/_export/live_template.py) goes here


tf.disable_v2_behavior()
h5_path = os.path.join(sys.argv[2], os.path.basename(sys.argv[1]) + "_model.h5")

tf.set_random_seed(141)
model = Sequential()
model.add(Dense(8, activation="relu", input_dim=6))
model.add(BatchNormalization())
model.add(Dropout(0.25, seed=2))
model.add(Dense(3, activation="softmax"))
model.compile(loss="categorical_crossentropy", optimizer="rmsprop", metrics=["accuracy"])
rng = np.random.RandomState(142)
model.fit(rng.rand(30, 6), np.eye(3)[rng.randint(0, 3, 30)], epochs=2, batch_size=10, shuffle=False, verbose=0)
model.save(h5_path)
K.clear_session()

K.set_learning_phase(0)
model = load_model(h5_path)
export_path = sys.argv[1]
with K.get_session() as sess:
    simple_save_tf2(
        sess,
        export_path,
        inputs={"input_image": model.input},
        outputs={t.name: t for t in model.outputs},
    )
