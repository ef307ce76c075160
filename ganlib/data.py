"""MNIST: loading (from a file you name, or through Keras) and the tf.data pipeline."""

import os

import keras
import numpy as np
import tensorflow as tf

from ganlib import smoke
from ganlib.errors import GanlibError

ENV_VAR = "GANLIB_MNIST"
LAYOUT = (
    "an .npz in Keras' mnist.npz layout: x_train (N, 28, 28) uint8, y_train (N,) uint8, "
    "x_test (M, 28, 28) uint8, y_test (M,) uint8"
)


def load_mnist(path=None):
    """Return ``(x_train, y_train), (x_test, y_test)`` as uint8 arrays, Keras' layout.

    Looks in order at ``path``, the environment variable ``GANLIB_MNIST``, and
    Keras' own downloader. In smoke mode (``GANLIB_SMOKE=1``) each split is cut
    to a small class-balanced slice.
    """
    path = path or os.environ.get(ENV_VAR)
    if path:
        (x_train, y_train), (x_test, y_test) = _load_npz(path)
    else:
        try:
            (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
        except Exception as e:  # URLError, HTTPError, OSError, ... depending on the failure
            raise GanlibError(
                f"could not download MNIST through Keras ({e.__class__.__name__}: {e}). "
                f"Offline? Point {ENV_VAR}=/path/to/mnist.npz (or pass path=) at {LAYOUT}."
            ) from None
    return smoke.slice_images(x_train, y_train), smoke.slice_images(x_test, y_test)


def _load_npz(path):
    if not os.path.isfile(path):
        raise GanlibError(f"MNIST file not found: {path!r}. Set {ENV_VAR} (or path=) to {LAYOUT}.")
    try:
        with np.load(path) as f:
            arrays = {k: f[k] for k in f.files}
    except Exception as e:
        raise GanlibError(f"cannot read {path!r} as .npz ({e}). Expected {LAYOUT}.") from None
    missing = [k for k in ("x_train", "y_train", "x_test", "y_test") if k not in arrays]
    if missing:
        raise GanlibError(f"{path!r} lacks the keys {missing} (it has {sorted(arrays)}). Expected {LAYOUT}.")
    for split in ("train", "test"):
        x, y = arrays[f"x_{split}"], arrays[f"y_{split}"]
        if x.ndim != 3 or x.shape[1:] != (28, 28) or x.dtype != np.uint8:
            raise GanlibError(
                f"{path!r}: x_{split} is {x.dtype} of shape {x.shape}; expected uint8 (N, 28, 28). Expected {LAYOUT}."
            )
        if y.shape != (len(x),) or y.dtype != np.uint8 or (y.size and y.max() > 9):
            raise GanlibError(
                f"{path!r}: y_{split} is {y.dtype} of shape {y.shape}; expected uint8 labels 0-9 "
                f"of shape ({len(x)},). Expected {LAYOUT}."
            )
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])


def scale(images):
    """uint8 pixels in [0, 255] -> float32 in [-1, 1] with a channel axis, for tanh generators."""
    return (tf.cast(images, tf.float32)[..., None] - 127.5) / 127.5


def make_dataset(
    images, batch_size, sample_d, seed, epoch, skip=0, epochs=1, sample_g=None, strategy=None, labels=None
):
    """``epochs`` epochs of ``(real, z_d, z_g)`` global batches from epoch ``epoch`` on, distributed by
    ``strategy`` (default: the one whose scope is active), each replica getting its share of every batch.

    ``real`` is scaled to [-1, 1]; ``z_d = sample_d(n, seed)`` and ``z_g = sample_g(n, seed)`` (default: ``sample_d``)
    are what the discriminator and the generator update get: for a model, its ``sample_d`` and ``sample_g``
    (e.g. WGAN-GP's ``(z, α)``, InfoGAN's ``(z, augmentation)``); any sampler of z does for both. Shuffle
    order and noise are a pure function of ``(seed, epoch)`` (TensorFlow's global seed
    plays no part), so a resumed run sees the same batches as an uninterrupted one;
    ``skip`` drops the batches already trained on. The last partial batch of an epoch is dropped,
    so every step sees a full global batch. With ``labels`` (conditional models) ``real`` is the pair
    ``(images, labels)``; without, the batches are exactly those of before labels existed.
    """
    if len(images) < batch_size:
        raise GanlibError(f"batch size {batch_size} is larger than the {len(images)} training images.")
    per_epoch = len(images) // batch_size
    order = np.concatenate(
        [
            np.random.default_rng([seed, e]).permutation(len(images))[: per_epoch * batch_size]
            for e in range(epoch, epoch + epochs)
        ]
    )
    images = tf.constant(images)
    labels = None if labels is None else tf.constant(np.asarray(labels, np.int32))

    def load(index, k):  # the k-th batch from epoch `epoch` on
        key = tf.stack(
            [tf.constant(seed, tf.int64) * 1_000_003 + epoch + k // per_epoch, 2 * (k % per_epoch)]
        )
        real = scale(tf.gather(images, index))
        if labels is not None:
            real = real, tf.gather(labels, index)
        return real, sample_d(batch_size, key), (sample_g or sample_d)(batch_size, key + [0, 1])

    batches = tf.data.Dataset.from_tensor_slices(order).batch(batch_size)
    ds = tf.data.Dataset.zip(batches, tf.data.Dataset.range(epochs * per_epoch)).skip(skip)
    ds = ds.map(load, num_parallel_calls=tf.data.AUTOTUNE)
    return (strategy or tf.distribute.get_strategy()).experimental_distribute_dataset(
        ds.prefetch(tf.data.AUTOTUNE)
    )
