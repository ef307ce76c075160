"""The training data: loading (MNIST, another Keras dataset, an .npz or a folder of images) and the tf.data
pipeline."""

import os
import re

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
KERAS_DATASETS = ("mnist", "fashion_mnist")  # 28x28 grey, 10 classes, downloaded by Keras
FOLDER = (
    "a folder with one subfolder of images per class (2-10 classes; png, jpeg, bmp or gif, made grey and 28x28), "
    "either in train/ and test/ subfolders or with 1 in 7 of each class held out as the test split"
)
TEST_SHARE = 7  # a folder without train/ and test/: every 7th image of a class (seeded order) is a test image
CLASS_LIMIT = 10  # the conditional models and the metrics' classifier have 10 classes


def load_images(data=None):
    """Return ``(x_train, y_train), (x_test, y_test)`` as uint8 arrays, Keras' layout: images (N, 28, 28) in
    [0, 255], labels (N,) in 0-9.

    ``data`` is a path to an .npz in Keras' mnist.npz layout, a folder of images in one subfolder per class
    (``FOLDER``), or the name of a Keras dataset (``"mnist"``, ``"fashion_mnist"``). Without it: the file named by
    the environment variable ``GANLIB_MNIST``, else Keras' MNIST download. In smoke mode (``GANLIB_SMOKE=1``) each
    split is cut to a small class-balanced slice.
    """
    data = data or os.environ.get(ENV_VAR) or "mnist"
    if data in KERAS_DATASETS:
        (x_train, y_train), (x_test, y_test) = _download(data)
    elif os.path.isdir(data):
        (x_train, y_train), (x_test, y_test) = _load_folder(data)
    else:
        (x_train, y_train), (x_test, y_test) = _load_npz(data)
    return smoke.slice_images(x_train, y_train), smoke.slice_images(x_test, y_test)


load_mnist = load_images  # its name before other data could be read


def _download(name):
    try:
        return getattr(keras.datasets, name).load_data()
    except Exception as e:  # URLError, HTTPError, OSError, ... depending on the failure
        raise GanlibError(
            f"could not download {name} through Keras ({e.__class__.__name__}: {e}). Offline? Pass --data "
            f"(or data=, or set {ENV_VAR}) a local copy: {LAYOUT}; or {FOLDER}."
        ) from None


def _load_folder(folder):
    split = [os.path.join(folder, s) for s in ("train", "test")]
    if all(os.path.isdir(s) for s in split):
        (x_train, y_train, names), (x_test, y_test, test_names) = (_read_classes(s) for s in split)
        if names != test_names:
            raise GanlibError(
                f"{folder!r}: train/ has the classes {names}, test/ has {test_names}; make them alike."
            )
        return (x_train, y_train), (x_test, y_test)
    x, y, _ = _read_classes(folder)
    test = np.zeros(len(x), bool)
    for label in np.unique(y):
        where = np.flatnonzero(y == label)
        test[np.random.default_rng([0, int(label)]).permutation(where)[::TEST_SHARE]] = True
    return (x[~test], y[~test]), (x[test], y[test])


def _read_classes(folder):
    """The images under ``folder``'s class subfolders (sorted names are labels 0, 1, ...) as uint8 (N, 28, 28)."""
    classes = sorted(e.name for e in os.scandir(folder) if e.is_dir() and not e.name.startswith("."))
    if not 2 <= len(classes) <= CLASS_LIMIT:
        raise GanlibError(f"{folder!r} has {len(classes)} class subfolder(s) {classes}; expected {FOLDER}.")
    try:
        ds = keras.utils.image_dataset_from_directory(
            folder,
            class_names=classes,
            color_mode="grayscale",
            image_size=(28, 28),
            interpolation="area",
            batch_size=1024,
            shuffle=False,
            verbose=False,
        )
        batches = [(x.numpy(), y.numpy()) for x, y in ds]
    except ValueError as e:  # no images
        raise GanlibError(f"{folder!r}: {e} Expected {FOLDER}.") from None
    except tf.errors.OpError as e:  # a file that is not an image it can decode
        reason = re.sub(r"\{\{.*?\}\}\s*", "", e.message).splitlines()[0]
        raise GanlibError(
            f"{_unreadable(folder)!r} cannot be read as an image ({reason}). Expected {FOLDER}."
        ) from None
    x = np.concatenate([b[0] for b in batches])[..., 0]
    y = np.concatenate([b[1] for b in batches])
    return np.round(x).clip(0, 255).astype(np.uint8), y.astype(np.uint8), classes


def _unreadable(folder):
    """The first file under ``folder`` with an image's name that TensorFlow cannot decode (else the folder)."""
    for root, _, files in sorted(os.walk(folder)):
        for name in sorted(files):
            if name.lower().endswith((".png", ".jpg", ".jpeg", ".bmp", ".gif")):
                try:
                    tf.io.decode_image(tf.io.read_file(os.path.join(root, name)))
                except tf.errors.OpError:
                    return os.path.join(root, name)
    return folder


def _load_npz(path):
    if not os.path.isfile(path):
        raise GanlibError(
            f"data not found: {path!r}. Set {ENV_VAR} (or --data, data=) to {LAYOUT}; or {FOLDER}; or one of {KERAS_DATASETS}."
        )
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
