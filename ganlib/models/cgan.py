"""Conditional GAN (Mirza & Osindero 2014) on DCGAN's networks: "draw me a 7".

Both networks are told the digit y. The generator's latent is ``[z | one-hot y]``: noise z ~ N(0, I)
(64 values) and the digit's one-hot code (10 values), so y enters G's first layer. The discriminator
is a projection discriminator (Miyato & Koyama 2018): DCGAN's convolutions give features phi(x), and
its logit is  w . phi(x) + embed(y) . phi(x),  a score of "a real image *of digit y*". The losses are
DCGAN's non-saturating pair on these conditional logits. Real digits come with their labels
(``make_dataset(..., labels=y)``), fakes with the labels they were drawn with, uniform over the 10 digits.
Optimizers and the generator's moving average are DCGAN's. Projection, rather than the classic cGAN's one-hot
label as extra input channels of D, was chosen because more digits come out as asked at equal training time
(measured in 08_conditional and README's recipes section).
"""

import keras
import numpy as np
import tensorflow as tf
from keras import layers

from ganlib import losses
from ganlib.models import dcgan
from ganlib.models.dcgan import DCGAN


def build_discriminator(width=32, classes=10):
    """DCGAN's discriminator on (image, label): logit = Dense(1)(phi(x)) + <embed(y), phi(x)> (projection)."""
    image, label = keras.Input((28, 28, 1)), keras.Input((), dtype="int32")
    phi, logit = dcgan.features(image, width)
    projection = layers.Dot(axes=1)([layers.Embedding(classes, phi.shape[-1])(label), phi])
    return keras.Model(
        [image, label], layers.Add(name="logit")([logit(phi), projection]), name="discriminator"
    )


class CGAN(DCGAN):
    name = "cgan"
    conditional = True  # training takes the labels: real batches are (images, labels)
    classes = 10
    default_steps = 4500  # as 08_conditional trains it (DCGAN's own budget is smaller: its step costs more)
    HPARAMS = {"noise_dim": 64, "width": 32, "g_lr": 1e-3, "d_lr": 2e-4, "ema": 0.999}
    n_critic = 1

    @property
    def latent_dim(self):
        return self.noise_dim + self.classes

    # networks
    def build_generator(self):
        return dcgan.build_generator(self.latent_dim, self.width)

    def build_discriminator(self):
        return build_discriminator(self.width, self.classes)

    # latent
    def sample_latent(self, n, seed):
        """[z ~ N(0, I)^64 | one-hot y], y uniform over the digits, a pure function of ``seed``."""
        s = tf.random.experimental.stateless_split(seed, 2)
        y = tf.random.stateless_categorical(tf.zeros((n, self.classes)), 1, s[1])[:, 0]
        return tf.concat(
            [tf.random.stateless_normal((n, self.noise_dim), s[0]), tf.one_hot(y, self.classes)], axis=1
        )

    def labels(self, z):
        """The digit each latent vector asks for."""
        return tf.argmax(z[:, self.noise_dim :], axis=1, output_type=tf.int32)

    def with_labels(self, z, labels):
        """``z`` with its digits replaced by ``labels`` (the noise kept: the same style, another digit)."""
        return tf.concat([z[:, : self.noise_dim], tf.one_hot(labels, self.classes, dtype=z.dtype)], axis=1)

    # what the model draws: which digit the i-th sample is asked to be is decided here, and only here
    def draw(self, n, seed=(0, 0), labels=None):
        """``(images, {"labels": ...})`` by the averaged generator. ``labels``: None, the digits drawn with the noise
        (uniform at random); ``"all"``, equally many of each, the i-th a digit ``i % 10``; a digit, or one a sample."""
        z = self.sample_latent(n, tf.constant(seed, tf.int64))
        if labels is not None:
            z = self.with_labels(
                z, tf.range(n) % self.classes if isinstance(labels, str) else np.broadcast_to(labels, (n,))
            )
        return self.ema_generator(z, training=False), self.conditions(z)

    def conditions(self, z):
        return {"labels": self.labels(z)}

    def generate(self, n, seed=(0, 0)):
        """``n`` digits from the averaged generator, the i-th a digit ``i % 10`` (equally many of each)."""
        return self.draw(n, seed, "all")[0]

    def grid_latent(self, seed=(2024, 11)):
        """The progress grids' latents: row k asks for digit k."""
        return self.with_labels(super().grid_latent(seed), np.repeat(np.arange(self.classes), 10))

    # losses
    def d_loss(self, real, z):
        (x, y), fake = real, self.generator(z, training=True)
        return losses.gan_d_loss(self.discriminator([x, y], training=True), self.discriminator([fake, self.labels(z)], training=True))

    def g_loss(self, z):
        return losses.gan_g_loss(self.discriminator([self.generator(z, training=True), self.labels(z)], training=True))
