"""Runnable: a functional Keras model with two heads trained in graph mode, exported with
K.get_session() and model.inputs[0] / model.outputs[i].

Needs tf-keras and TF_USE_LEGACY_KERAS=1.
Usage: python before.py EXPORT_DIR SCRATCH_DIR
"""

import sys

import numpy as np
import tensorflow.compat.v1 as tf
from tensorflow.compat.v1.keras import backend as K
from tensorflow.compat.v1.keras import layers, models

tf.disable_v2_behavior()
tf.set_random_seed(41)


def build_model(num_features, num_classes):
    inputs = layers.Input(shape=(num_features,), name="features")
    hidden = layers.Dense(8, activation="relu", name="shared")(inputs)
    hidden = layers.Dropout(0.2, seed=1)(hidden)
    category = layers.Dense(num_classes, activation="softmax", name="category")(hidden)
    price = layers.Dense(1, name="price")(hidden)
    model = models.Model(inputs=inputs, outputs=[category, price])
    model.compile(
        optimizer="adam",
        loss={"category": "sparse_categorical_crossentropy", "price": "mse"},
        loss_weights={"category": 1.0, "price": 0.5},
    )
    return model


model = build_model(5, 4)
rng = np.random.RandomState(42)
x = rng.rand(40, 5)
model.fit(x, {"category": rng.randint(0, 4, 40), "price": x.sum(axis=1)}, epochs=2, batch_size=10, verbose=0, shuffle=False)

sess = K.get_session()
tf.saved_model.simple_save(
    sess,
    sys.argv[1],
    inputs={"features": model.inputs[0]},
    outputs={"category_probabilities": model.outputs[0], "price": model.outputs[1]},
)
