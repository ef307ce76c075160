"""InfoGAN (Chen et al. 2016): a GAN plus latent codes the model learns to make meaningful.

Latent: 62 noise values uniform in [-1, 1], a 10-way categorical code (one-hot) and 2 continuous codes
uniform in [-1, 1], concatenated. The discriminator has a second head Q on the same trunk
that predicts the codes from an image. Both players also minimise lambda * L_I, where L_I is
the cross-entropy of the categorical code plus the Gaussian negative log-likelihood (unit
variance) of the continuous ones, weighted equally as in the authors' code: the negative of a
lower bound on the mutual information I(c; G(z, c)), up to a constant.
Networks, noise and optimizers as in the authors' code (openai/InfoGAN, its MNIST model) at half its
width: G is dense 1024 -> dense 7x7x(2w) -> transposed convolutions 4x4 to 14x14xw and 28x28x1; D is two
4x4 strided convolutions and a dense 1024-unit layer, with the logit and Q's head (dense 128, then the codes)
on that layer. Adam(1e-3) for G, Adam(2e-4) for D and Q, beta_1 = 0.5.
No labels are used anywhere: what the categorical code comes to mean is the model's choice.
Measured at 240 s of training (seed 0, benchmarks/time_to_quality.py), Q's code against the test digits'
labels / the generated digits' code against the classifier's label: 80.2% / 87.0% with these networks;
73.9% / 82.3% at the authors' full width 64 (half the steps in the same time); 71.8% / 76.2% without the
generator's 1024-unit layer. The previous default (DCGAN-sized networks without the 1024-unit layers, normal
noise) gave 46.9% / 52.6% after its whole 6,000-step run (165 s).
"""
import keras
import numpy as np
import tensorflow as tf
from keras import layers

from ganlib import losses
from ganlib.models import dcgan
from ganlib.models.base import GAN


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
    default_steps = 5000  # about 6 minutes on a 2-core CPU
    noise_dim = 62
    hidden = 1024  # units of the dense layer in both networks (the authors')
    g_lr, d_lr = 1e-3, 2e-4
    categories = 10
    continuous = 2
    info_weight = 1.0  # lambda
    HPARAMS = ("noise_dim", "width", "hidden", "g_lr", "d_lr", "ema", "info_weight")

    @property
    def latent_dim(self):
        return self.noise_dim + self.categories + self.continuous

    # networks
    def build_generator(self):
        return dcgan.build_generator(self.latent_dim, self.width, kernel=4, refine=False, hidden=self.hidden)  # the authors' shape

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

    def codes(self, z):
        """The categorical code of each latent vector, 0-9."""
        return tf.argmax(z[:, self.noise_dim : self.noise_dim + self.categories], axis=1)

    def predict_codes(self, images):
        """Q's categorical code for each image: InfoGAN as an unsupervised classifier."""
        _, q = self.discriminator(images, training=False)
        return tf.argmax(q[:, : self.categories], axis=1)

    # losses
    def info_loss(self, z, q):
        r"""$-\log Q(c_1 \mid x)$ for the categorical code plus the continuous codes' Gaussian NLL, $x = G(z, c)$."""
        code, cont = z[:, self.noise_dim : self.noise_dim + self.categories], z[:, -self.continuous :]
        return losses.categorical_nll(code, q[:, : self.categories]) + losses.gaussian_nll(cont, q[:, self.categories :], 0.0)

    def d_loss(self, real, z):
        fake = self.generator(z, training=True)
        real_logit, _ = self.discriminator(real, training=True)
        fake_logit, q = self.discriminator(fake, training=True)
        info = self.info_loss(z, q)
        return {"d_loss": losses.gan_d_loss(real_logit, fake_logit) + self.info_weight * info, "info": info}

    def g_loss(self, z):
        fake_logit, q = self.discriminator(self.generator(z, training=True), training=True)
        return losses.gan_g_loss(fake_logit) + self.info_weight * self.info_loss(z, q)

    # pictures
    def traversal(self, continuous_index, columns=10, span=2.0, seed=(0, 0), order=None):
        """Latents for a grid: row k has categorical code ``order[k]`` (default k), columns sweep continuous
        code ``continuous_index`` from -span to span (the others at 0), one noise vector throughout."""
        noise = np.repeat(tf.random.stateless_uniform((1, self.noise_dim), tf.constant(seed, tf.int64), -1.0, 1.0), columns, axis=0)
        cont = np.zeros((columns, self.continuous), np.float32)
        cont[:, continuous_index] = np.linspace(-span, span, columns)
        rows = [np.concatenate([noise, np.eye(self.categories, dtype=np.float32)[[k] * columns], cont], axis=1)
                for k in (range(self.categories) if order is None else order)]
        return tf.constant(np.concatenate(rows))
