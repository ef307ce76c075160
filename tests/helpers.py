"""What several test files build: a made-up training batch, and a model that counts its examples."""
import numpy as np
import tensorflow as tf

from ganlib.cli import main
from ganlib.models import DCGAN


def batch(gan, n=8, seed=0):
    """A ``(real, z_d, z_g)`` batch for ``gan``'s train step: uniform noise for the real images (with random labels
    for a conditional model), the latents from ``gan``'s own samplers; a pure function of ``seed``."""
    rng = np.random.default_rng(seed)
    real = rng.uniform(-1, 1, (n, 28, 28, 1)).astype(np.float32)
    if gan.conditional:
        real = real, rng.integers(0, 10, n).astype(np.int32)
    return real, gan.sample_d(n, tf.constant([seed, 1], tf.int64)), gan.sample_g(n, tf.constant([seed, 2], tf.int64))


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
