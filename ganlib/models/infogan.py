"""InfoGAN (Chen et al. 2016): a GAN plus latent codes the model learns to make meaningful.

Latent: 62 noise values uniform in [-1, 1], a 10-way categorical code (one-hot) and 2 continuous codes
uniform in [-1, 1], concatenated. The discriminator has a second head Q on the same trunk
that predicts the codes from an image. Both players also minimise lambda * L_I, where L_I is
the cross-entropy of the categorical code plus ``cont_weight`` times the Gaussian negative log-likelihood (unit
variance) of the continuous ones: the negative of a lower bound on the mutual information I(c; G(z, c)), up to a
constant.
Noise and optimizers as in the authors' code (openai/InfoGAN, its MNIST model), networks at half its width:
G is dense 7x7x(2w) -> transposed convolutions 4x4 to 14x14xw and 28x28x1; D is two
4x4 strided convolutions and a dense 1024-unit layer, with the logit and Q's head (dense 128, then the codes)
on that layer. Adam(1e-3) for G, Adam(2e-4) for D and Q, beta_1 = 0.5.
No labels are used anywhere: what the categorical code comes to mean is the model's choice.

Departures from the paper and the authors' code, each measured in 05_infogan and README ("Leads for precision"),
over seeds 0-2 against this model with the authors' generator, equal weights and a 20-degree T (FCD 14.9,
precision 0.844, recall 0.288, Q's code on the test digits 92.3%): FCD 7.2, precision 0.847, recall 0.664, code 94.7%.
- No dense 1024-unit layer in G (``g_hidden=0``; the authors' is ``g_hidden=1024``): with it the digits came in
  too few styles (recall 0.27-0.35).
- The continuous codes' term weighted 0.01 (``cont_weight``; the authors' code: 1, the paper: "smaller", the
  reimplementations 0.1): the categorical code matched more test digits (94.7% against 93.9% at 0.1 over three seeds).
- Q reads the categorical code from T(x) (``augment=1``; 0 restores the paper's form), a copy of
  each fake randomly rotated (up to ``rotation`` = 30 degrees), scaled (0.9-1.1) and shifted (up to 2 pixels), and the continuous
  codes from x itself, so a code G carries in slant, size or position is not rewarded; the digit's identity
survives T. After Elastic-InfoGAN (Ojha et al. 2020), which makes Q's category invariant to such transformations
of real digits with a contrastive loss. By the data-processing inequality E[log Q(c|T(x))] + H(c) <= I(c; T(x))
<= I(c; x): still a lower bound on the same mutual information. Why: the code matches the digit far more often
at the same budget (measured in 05_infogan and README's results); it costs a third pass through D a step.
- The networks at half the authors' width: more steps in the same time (README's results).
- Q reads the codes of real digits (``predict_codes``: InfoGAN as a classifier) through a moving average of the
  discriminator's weights (``q_ema``, the decay; 0: the discriminator itself), Polyak averaging as the generator's
  average (Yazici et al. 2019) applied to Q: training is unchanged, step for step; over seeds 0-2 the code matched
  95.4% of the test digits against 94.7% through the last weights (README's results).
"""

import math

import keras
import numpy as np
import tensorflow as tf
from keras import layers

from ganlib import losses
from ganlib.models import dcgan
from ganlib.models.base import GAN, RANGES, _copy

RANGES.update(
    g_hidden=(lambda v: v >= 0, ">= 0 (0: no dense layer)"),
    cont_weight=(lambda v: v >= 0, ">= 0"),
    q_ema=RANGES["ema"],
)


def augment(images, params, rotation=30.0, zoom=0.1, shift=2.0):
    """Each 28x28 image in [-1, 1] rotated, scaled and shifted about its centre, background -1: ``params`` (n, 4) in
    [-1, 1] pick the angle (times ``rotation`` degrees), the scale (1 + times ``zoom``) and the shift in x and y (times
    ``shift`` pixels). Bilinear, written with gathers so that it differentiates and compiles under XLA."""
    n, size, c = tf.shape(images)[0], 28, 13.5
    angle, scale = params[:, 0] * rotation * math.pi / 180, 1.0 + params[:, 1] * zoom
    cos, sin = (tf.cos(angle) / scale)[:, None, None], (tf.sin(angle) / scale)[:, None, None]
    y, x = tf.meshgrid(
        tf.range(size, dtype=tf.float32) - c, tf.range(size, dtype=tf.float32) - c, indexing="ij"
    )
    # where each output pixel reads from, clipped to the one-pixel border of background added below
    sx = tf.clip_by_value(cos * x - sin * y + c - shift * params[:, 2, None, None], -1.0, size)
    sy = tf.clip_by_value(sin * x + cos * y + c - shift * params[:, 3, None, None], -1.0, size)
    padded = tf.reshape(
        tf.pad(images[..., 0], [[0, 0], [1, 2], [1, 2]], constant_values=-1.0), [-1]
    )  # n x 31 x 31
    x0, y0 = tf.floor(sx), tf.floor(sy)
    wx, wy = sx - x0, sy - y0
    base = tf.range(n)[:, None, None] * (size + 3) ** 2

    def at(dy, dx):  # the padded pixel (y0 + dy, x0 + dx) of each image
        return tf.gather(
            padded, base + (tf.cast(y0, tf.int32) + 1 + dy) * (size + 3) + tf.cast(x0, tf.int32) + 1 + dx
        )

    out = (1 - wy) * ((1 - wx) * at(0, 0) + wx * at(0, 1)) + wy * ((1 - wx) * at(1, 0) + wx * at(1, 1))
    return out[..., None]


def build_discriminator(width=32, categories=10, continuous=2, hidden=1024):
    """DCGAN's convolutions and a ``hidden``-unit dense layer (the authors' trunk), then two heads: the
    real/fake logit and Q's code predictions (``categories`` logits, then ``continuous`` means)."""
    image = keras.Input((28, 28, 1))
    h = layers.Conv2D(width, 4, strides=2, padding="same")(image)
    h = layers.LeakyReLU(0.2)(h)
    h = layers.Conv2D(2 * width, 4, strides=2, padding="same", use_bias=False)(h)
    h = layers.BatchNormalization(synchronized=True)(h)
    h = layers.LeakyReLU(0.2)(h)
    h = layers.Flatten()(h)
    h = layers.Dense(hidden, use_bias=False)(h)
    h = layers.BatchNormalization(synchronized=True)(h)
    h = layers.LeakyReLU(0.2)(h)
    logit = layers.Dense(1, name="logit")(h)
    q = layers.Dense(128, use_bias=False)(h)
    q = layers.BatchNormalization(synchronized=True)(q)
    q = layers.LeakyReLU(0.2)(q)
    q = layers.Dense(categories + continuous, name="q")(q)
    return keras.Model(image, [logit, q], name="discriminator")


class InfoGAN(GAN):
    name = "infogan"
    default_steps = 4000  # about 4.5 minutes on a 2-core CPU (CLI, seed 0, the authors' generator: 272.6 s wall; this one costs about the same)
    categories = 10
    continuous = 2
    HPARAMS = {
        "noise_dim": 62,
        "width": 32,
        "hidden": 1024,  # units of the discriminator's dense layer (the authors')
        "g_hidden": 0,  # units of a dense layer first in the generator (0: none; the authors' 1024)
        "g_lr": 1e-3,
        "d_lr": 2e-4,
        "ema": 0.0,
        "info_weight": 1.0,  # lambda
        "cont_weight": 0.01,  # the continuous codes' term's weight within L_I (the authors' code: 1)
        "augment": 1,  # 1: Q reads the categorical code from a rotated, scaled, shifted copy of each fake (0: from the fake)
        "rotation": 30.0,  # the copies' largest rotation, in degrees (scale 0.9-1.1 and shift up to 2 pixels besides)
        "q_ema": 0.999,  # decay of the discriminator's moving average, through which Q reads real digits (0: off)
    }
    n_critic = 1

    def __init__(self, **hparams):
        super().__init__(**hparams)
        self.ema_discriminator = _copy(self.discriminator) if self.q_ema else self.discriminator

    @property
    def latent_dim(self):
        return self.noise_dim + self.categories + self.continuous

    # networks
    def build_generator(self):
        return dcgan.build_generator(
            self.latent_dim, self.width, kernel=4, refine=False, hidden=self.g_hidden
        )  # the authors' shape, without their dense layer by default

    def build_discriminator(self):
        return build_discriminator(self.width, self.categories, self.continuous, self.hidden)

    # latent
    def sample_latent(self, n, seed):
        """[noise ~ U[-1, 1]^62 | one-hot c ~ Cat(1/10) | c' ~ U[-1, 1]^2] (the authors'), a pure function of ``seed``."""
        s = tf.random.experimental.stateless_split(seed, 3)
        noise = tf.random.stateless_uniform((n, self.noise_dim), s[0], -1.0, 1.0)
        code = tf.random.stateless_categorical(tf.zeros((n, self.categories)), 1, s[1])[:, 0]
        cont = tf.random.stateless_uniform((n, self.continuous), s[2], -1.0, 1.0)
        return tf.concat([noise, tf.one_hot(code, self.categories), cont], axis=1)

    def sample_g(self, n, seed):
        """``(z, params)``: ``sample_latent(n, seed)`` and 4 parameters of ``augment`` per fake, uniform in [-1, 1]."""
        params = tf.random.stateless_uniform(
            (n, 4), tf.random.experimental.stateless_fold_in(seed, 1), -1.0, 1.0
        )
        return self.sample_latent(n, seed), params

    sample_d = sample_g

    def codes(self, z):
        """The categorical code of each latent vector, 0-9."""
        return tf.argmax(z[:, self.noise_dim : self.noise_dim + self.categories], axis=1)

    def conditions(self, z):
        return {"codes": self.codes(z)}

    def predict_codes(self, images):
        """Q's categorical code for each image, through the discriminator's average: InfoGAN as an unsupervised
        classifier."""
        _, q = self.ema_discriminator(images, training=False)
        return tf.argmax(q[:, : self.categories], axis=1)

    # losses
    def info_loss(self, z, q, q_augmented):
        r"""$-\log Q(c_1 \mid T(x))$ for the categorical code, read from the augmented copy $T(x)$ (with ``augment=0``:
        from $x$), plus ``cont_weight`` times the continuous codes' Gaussian NLL, read from $x = G(z, c)$ itself."""
        code, cont = z[:, self.noise_dim : self.noise_dim + self.categories], z[:, -self.continuous :]
        categorical = losses.categorical_nll(code, q_augmented[:, : self.categories])
        return categorical + self.cont_weight * losses.gaussian_nll(cont, q[:, self.categories :], 0.0)

    def read(self, fake, params):
        """D's logit and Q's outputs for the fakes, and Q's outputs for their augmented copies (with ``augment=0``: the same)."""
        logit, q = self.discriminator(fake, training=True)
        if not self.augment:
            return logit, q, q
        return logit, q, self.discriminator(augment(fake, params, self.rotation), training=True)[1]

    def d_loss(self, real, latent):
        z, params = latent
        fake = self.generator(z, training=True)
        real_logit, _ = self.discriminator(real, training=True)
        fake_logit, q, q_augmented = self.read(fake, params)
        info = self.info_loss(z, q, q_augmented)
        return {"d_loss": losses.gan_d_loss(real_logit, fake_logit) + self.info_weight * info, "info": info}

    def g_loss(self, latent):
        z, params = latent
        fake_logit, q, q_augmented = self.read(self.generator(z, training=True), params)
        return losses.gan_g_loss(fake_logit) + self.info_weight * self.info_loss(z, q, q_augmented)

    def update_ema(self):
        """The generator's average (base.py), then the discriminator's: the same formula and warm-up, decay ``q_ema``."""
        super().update_ema()
        if self.ema_discriminator is self.discriminator:
            return
        t = tf.cast(self.g_optimizer.iterations, tf.float32)
        beta = tf.minimum(self.q_ema, (1.0 + t) / (10.0 + t))
        for avg, w in zip(self.ema_discriminator.weights, self.discriminator.weights):
            avg.assign(beta * avg + (1.0 - beta) * tf.cast(w, avg.dtype))

    # pictures
    def traversal(self, continuous_index, columns=10, span=2.0, seed=(0, 0), order=None):
        """Latents for a grid: row k has categorical code ``order[k]`` (default k), columns sweep continuous
        code ``continuous_index`` from -span to span (the others at 0), one noise vector throughout."""
        noise = np.repeat(
            tf.random.stateless_uniform((1, self.noise_dim), tf.constant(seed, tf.int64), -1.0, 1.0),
            columns,
            axis=0,
        )
        cont = np.zeros((columns, self.continuous), np.float32)
        cont[:, continuous_index] = np.linspace(-span, span, columns)
        rows = [
            np.concatenate([noise, np.eye(self.categories, dtype=np.float32)[[k] * columns], cont], axis=1)
            for k in (range(self.categories) if order is None else order)
        ]
        return tf.constant(np.concatenate(rows))
