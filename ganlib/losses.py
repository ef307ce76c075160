"""GAN losses: one small pair ``d_loss, g_loss`` a GAN.

Each takes the discriminator's logits, one per example (shape ``(batch,)`` or
``(batch, 1)``), and returns one loss per example, shape ``(batch,)``. The train step
averages over the *global* batch with ``tf.nn.compute_average_loss``, so the result
does not depend on how many replicas share the batch.
"""
import tensorflow as tf


def _bce(logits, label):
    """$-[y \\log \\sigma(l) + (1-y) \\log(1-\\sigma(l))]$, computed stably from the logit."""
    logits = tf.reshape(logits, [-1])
    return tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.fill(tf.shape(logits), label), logits=logits)


def gan_d_loss(real_logits, fake_logits):
    r"""Discriminator: $-\log D(x) - \log(1 - D(G(z)))$ with $D = \sigma(\text{logit})$."""
    return _bce(real_logits, 1.0) + _bce(fake_logits, 0.0)


def gan_g_loss(fake_logits):
    r"""Non-saturating generator loss: $-\log D(G(z))$ (Goodfellow et al. 2014, sec. 3)."""
    return _bce(fake_logits, 1.0)
