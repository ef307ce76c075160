"""What several test files build: a made-up training batch, and a model that counts its examples."""

import numpy as np
import tensorflow as tf

from ganlib.cli import main
from ganlib.models import DCGAN


def batch(gan, n=8, seed=0):
    """A ``(real, z_d, z_g)`` batch for ``gan``'s train step: uniform noise for the real images (with random labels
    for a conditional model, random clusters for a self-conditioned one), the latents from ``gan``'s own samplers; a
    pure function of ``seed``."""
    rng = np.random.default_rng(seed)
    real = rng.uniform(-1, 1, (n, 28, 28, 1)).astype(np.float32)
    if gan.conditional or getattr(gan, "clusters", 0):  # a digit, or a self-conditioned model's cluster
        real = real, rng.integers(0, 10 if gan.conditional else gan.clusters, n).astype(np.int32)
    return (
        real,
        gan.sample_d(n, tf.constant([seed, 1], tf.int64)),
        gan.sample_g(n, tf.constant([seed, 2], tf.int64)),
    )


class CountsExamples(DCGAN):
    """DCGAN that also reports how many examples its replica's batch had (``examples``, as a loss is
    reported: averaged over the global batch, summed over replicas, so the per-replica count comes back)."""

    def d_loss(self, real, z):
        n = tf.cast(tf.shape(real)[0], tf.float32)
        return {"d_loss": super().d_loss(real, z), "examples": tf.fill(tf.shape(real)[:1], n)}


def error_of(capsys, argv):
    """Run the CLI in-process; return its one-line error after checking status 2 and no traceback."""
    try:
        status = main(argv)
    except SystemExit as e:
        status = e.code
    err = capsys.readouterr().err
    assert status == 2, err
    assert err.count("\n") == 1 and err.startswith("ganlib: error: "), err
    assert "Traceback" not in err
    return err


def painter(latent_dim, start, k=10):
    """A generator that paints ``z[:, start:start + k]`` (a one-hot code or label) into the first ``k`` pixels of the
    top row (1 where the code is 1, -1 elsewhere; every other pixel -1): what it was asked to draw can be read off
    the image it drew (``plots.to_uint8(...)[:, 0, :k].argmax(1)``, or by ``reader()``)."""
    import keras

    kernel = np.zeros((latent_dim, 28 * 28), np.float32)
    kernel[start + np.arange(k), np.arange(k)] = 2.0
    model = keras.Sequential(
        [keras.Input((latent_dim,)), keras.layers.Dense(28 * 28), keras.layers.Reshape((28, 28, 1))]
    )
    model.layers[0].set_weights([kernel, -np.ones(28 * 28, np.float32)])
    return model


def reader(k=10):
    """A 'classifier' for ``painter``'s images, with the layers the metrics look for: its class is the brightest of the
    first ``k`` pixels of the top row."""
    import keras

    inputs = keras.Input((28, 28, 1))
    features = keras.layers.Dense(k, activation="relu", name="features")
    probs = keras.layers.Dense(k, activation="softmax", name="probs")
    model = keras.Model(inputs, probs(features(keras.layers.Flatten()(inputs))))
    kernel = np.zeros((28 * 28, k), np.float32)
    kernel[np.arange(k), np.arange(k)] = 1.0
    features.set_weights([kernel, np.ones(k, np.float32)])  # pixel + 1: 0 for -1, 2 for a painted 1
    probs.set_weights([10 * np.eye(k, dtype=np.float32), np.zeros(k, np.float32)])
    return model
