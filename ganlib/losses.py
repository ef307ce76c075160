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


def minimax_g_loss(fake_logits):
    r"""The original (saturating) generator loss: $\log(1 - D(G(z)))$, minimised."""
    return -_bce(fake_logits, 0.0)


def lsgan_d_loss(real_out, fake_out, a=0.0, b=1.0):
    r"""Least squares (Mao et al. 2017): $\tfrac12 (D(x) - b)^2 + \tfrac12 (D(G(z)) - a)^2$, linear $D$."""
    return 0.5 * tf.square(tf.reshape(real_out, [-1]) - b) + 0.5 * tf.square(tf.reshape(fake_out, [-1]) - a)


def lsgan_g_loss(fake_out, c=1.0):
    r"""Least squares generator loss: $\tfrac12 (D(G(z)) - c)^2$."""
    return 0.5 * tf.square(tf.reshape(fake_out, [-1]) - c)


def wgan_d_loss(real_scores, fake_scores):
    r"""Critic (Arjovsky et al. 2017): $f(G(z)) - f(x)$, minimised; its negative estimates $W(p_\text{data}, p_g)$."""
    return tf.reshape(fake_scores, [-1]) - tf.reshape(real_scores, [-1])


def wgan_g_loss(fake_scores):
    r"""Generator: $-f(G(z))$."""
    return -tf.reshape(fake_scores, [-1])


def gradient_penalty(critic, real, fake, alpha):
    r"""Gulrajani et al. 2017: $(\lVert \nabla_{\hat x} f(\hat x) \rVert_2 - 1)^2$ at $\hat x = \alpha x + (1 - \alpha) G(z)$,
    with one $\alpha \sim U[0, 1]$ per example (``alpha``, shape ``(batch,)``)."""
    alpha = tf.reshape(alpha, [-1] + [1] * (real.shape.rank - 1))
    mixed = alpha * real + (1.0 - alpha) * fake
    with tf.GradientTape() as tape:
        tape.watch(mixed)
        scores = critic(mixed, training=True)
    grads = tf.reshape(tape.gradient(scores, mixed), [tf.shape(real)[0], -1])
    return tf.square(tf.sqrt(tf.reduce_sum(tf.square(grads), axis=1) + 1e-12) - 1.0)


def categorical_nll(code, logits):
    r"""InfoGAN's categorical term: $-\log Q(c \mid G(z))$ for a one-hot code $c$."""
    return tf.nn.softmax_cross_entropy_with_logits(labels=code, logits=logits)


def class_nll(labels, logits):
    r"""$-\log p(y \mid x)$ for integer labels ``y`` under the softmax of ``logits`` (AC-GAN's auxiliary classifier)."""
    return tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.cast(labels, tf.int32), logits=logits)


def gaussian_nll(code, mean, log_std):
    r"""InfoGAN's continuous term: $-\log \mathcal{N}(c; \mu, \sigma^2)$ summed over the codes, without
    the constant $\tfrac12 \log 2\pi$ per code."""
    return tf.reduce_sum(log_std + 0.5 * tf.square((code - mean) / tf.exp(log_std)), axis=-1)


# VAE (Kingma & Welling 2014): the negative ELBO is reconstruction + KL, one value per example.


def bernoulli_nll(x, logits):
    r"""Reconstruction $-\log p(x \mid z) = -\sum_i [x_i \log \sigma(l_i) + (1 - x_i) \log(1 - \sigma(l_i))]$,
    summed over the pixels of each example; ``x`` in [0, 1]."""
    n = tf.shape(logits)[0]
    return tf.reduce_sum(tf.reshape(tf.nn.sigmoid_cross_entropy_with_logits(labels=x, logits=logits), [n, -1]), axis=1)


def gaussian_kl(mean, log_var):
    r"""$\mathrm{KL}\big(\mathcal{N}(\mu, \operatorname{diag}\sigma^2) \,\|\, \mathcal{N}(0, I)\big) = \tfrac12 \sum_j (\sigma_j^2 + \mu_j^2 - 1 - \log \sigma_j^2)$."""
    return 0.5 * tf.reduce_sum(tf.exp(log_var) + tf.square(mean) - 1.0 - log_var, axis=1)
