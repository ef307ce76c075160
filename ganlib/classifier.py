"""The MNIST classifier every metric looks through: no Inception weights, nothing downloads.

A small CNN trained on MNIST's training split, cached by the data it was trained on
(``runs/classifier-<fingerprint>.keras``) and reused. Its 128-unit penultimate layer gives
the features of the Fréchet distance and of precision/recall; its softmax gives the
classifier score and the class histogram.
"""

import functools
import hashlib
import os

import keras
import numpy as np

from ganlib.data import scale
from ganlib.errors import GanlibError

CACHE_DIR = "runs"


def build_classifier():
    """Two conv blocks and a 128-unit feature layer; input 28x28x1 in [-1, 1], output 10 softmax."""
    x = inputs = keras.Input((28, 28, 1))
    for filters in (32, 64):
        x = keras.layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
        x = keras.layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
        x = keras.layers.MaxPooling2D()(x)
    x = keras.layers.Flatten()(x)
    features = keras.layers.Dense(128, activation="relu", name="features")(keras.layers.Dropout(0.25)(x))
    probs = keras.layers.Dense(10, activation="softmax", name="probs")(keras.layers.Dropout(0.5)(features))
    return keras.Model(inputs, probs, name="mnist_classifier")


def train_classifier(x, y, epochs=10, seed=0, verbose=0):
    """Train a fresh classifier on uint8 digits ``x`` (N, 28, 28) with labels ``y``."""
    keras.utils.set_random_seed(seed)
    model = build_classifier()
    model.compile(keras.optimizers.Adam(1e-3), "sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(scale(x), np.asarray(y), epochs=epochs, batch_size=64, verbose=verbose)
    return model


def cache_path(x, cache_dir=CACHE_DIR):
    """Where the classifier trained on ``x`` is kept: one file per training set."""
    return os.path.join(
        cache_dir, f"classifier-{hashlib.sha1(np.ascontiguousarray(x)).hexdigest()[:10]}.keras"
    )


def get_classifier(x, y, cache_dir=CACHE_DIR, verbose=1):
    """The classifier trained on ``(x, y)``: loaded from its cache file, else trained and saved."""
    path = cache_path(x, cache_dir)
    if os.path.exists(path):
        return load_classifier(path)
    if verbose:
        print(f"training the MNIST classifier on {len(x)} digits (once; cached in {path})")
    model = train_classifier(x, y)
    os.makedirs(cache_dir, exist_ok=True)
    model.save(path)
    return model


def load_classifier(path):
    try:
        return keras.models.load_model(path)
    except Exception as e:
        raise GanlibError(
            f"cannot load the classifier {path} ({e.__class__.__name__}: {e}). Delete it: it is retrained on next use."
        ) from None


def embed(model, images, batch_size=500):
    """``(features, probs)`` of images in [-1, 1], shape (N, 28, 28[, 1])."""
    images = np.reshape(np.asarray(images, np.float32), (-1, 28, 28, 1))
    if images.min() < -1.001 or images.max() > 1.001:
        raise ValueError(
            f"images must be scaled to [-1, 1], got [{images.min():.3g}, {images.max():.3g}]: use ganlib.scale"
        )
    features, probs = _with_features(model).predict(images, batch_size=batch_size, verbose=0)
    return features.astype(np.float64), probs.astype(np.float64)


@functools.lru_cache(maxsize=4)
def _with_features(model):
    """The classifier with a second output, its feature layer (built once per classifier)."""
    return keras.Model(model.inputs, [model.get_layer("features").output, model.outputs[0]])


def accuracy(model, x, y):
    """Test accuracy on uint8 digits ``x`` with labels ``y``."""
    return float(np.mean(embed(model, scale(x))[1].argmax(1) == np.asarray(y)))
