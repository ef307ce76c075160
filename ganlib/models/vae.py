r"""A variational autoencoder (Kingma & Welling 2014): the likelihood-based baseline for the GANs.

Encoder q(z|x): DCGAN's discriminator trunk, then the mean and log-variance of z.
Decoder p(x|z): DCGAN's generator with a linear output: one Bernoulli logit a pixel.
Loss: the negative ELBO, $-\log p(x \mid z) + \mathrm{KL}(q(z \mid x) \,\|\, \mathcal{N}(0, I))$, with
$z = \mu + \sigma \odot \varepsilon$ (the reparameterisation trick). Pixels are in [0, 1] for the
Bernoulli likelihood; ``generate`` returns [-1, 1] like the GANs, so the same metrics apply.
Trains with Keras' own ``fit`` (inside ``strategy.scope()`` for several devices).
"""

import keras
import tensorflow as tf
from keras import layers

from ganlib import losses


def build_encoder(latent_dim=2, width=32):
    x = inputs = keras.Input((28, 28, 1))
    x = layers.LeakyReLU(0.2)(layers.Conv2D(width, 4, strides=2, padding="same")(x))
    x = layers.LeakyReLU(0.2)(layers.Conv2D(2 * width, 4, strides=2, padding="same")(x))
    x = layers.Dense(128, activation="relu")(layers.Flatten()(x))
    return keras.Model(
        inputs,
        [layers.Dense(latent_dim, name="mean")(x), layers.Dense(latent_dim, name="log_var")(x)],
        name="encoder",
    )


def build_decoder(latent_dim=2, width=32):
    return keras.Sequential(
        [
            keras.Input((latent_dim,)),
            layers.Dense(7 * 7 * 2 * width, activation="relu"),
            layers.Reshape((7, 7, 2 * width)),
            layers.Conv2DTranspose(width, 4, strides=2, padding="same", activation="relu"),
            layers.Conv2DTranspose(1, 4, strides=2, padding="same"),  # logits
        ],
        name="decoder",
    )


class VAE(keras.Model):
    def __init__(self, latent_dim=2, width=32, **kwargs):
        super().__init__(**kwargs)
        self.latent_dim = latent_dim
        self.encoder = build_encoder(latent_dim, width)
        self.decoder = build_decoder(latent_dim, width)
        self.seeds = keras.random.SeedGenerator(0)
        # each epoch's history is the mean over its batches (Keras resets these trackers every epoch), not the last batch
        self.trackers = {k: keras.metrics.Mean(name=k) for k in ("loss", "reconstruction", "kl")}
        self(tf.zeros((1, 28, 28, 1)))  # build now, so that weights can be saved and restored at once

    def encode(self, x):
        """``(mean, log_var)`` of q(z|x) for images ``x`` in [0, 1]."""
        return self.encoder(x)

    def reparameterise(self, mean, log_var):
        r"""$z = \mu + \sigma \odot \varepsilon$, $\varepsilon \sim \mathcal{N}(0, I)$: a sample whose gradient reaches $\mu, \sigma$."""
        return mean + tf.exp(0.5 * log_var) * keras.random.normal(tf.shape(mean), seed=self.seeds)

    def losses_of(self, x):
        """Per-example reconstruction and KL terms of the negative ELBO."""
        mean, log_var = self.encode(x)
        logits = self.decoder(self.reparameterise(mean, log_var))
        return losses.bernoulli_nll(x, logits), losses.gaussian_kl(mean, log_var)

    def call(self, x):
        """Reconstruction of ``x`` (the mean of p(x|z) at z = the mean of q(z|x)), in [0, 1]."""
        return tf.sigmoid(self.decoder(self.encode(x)[0]))

    @property
    def metrics(self):
        return list(self.trackers.values())

    def train_step(self, x):
        with tf.GradientTape() as tape:
            reconstruction, kl = self.losses_of(x)
            loss = tf.nn.compute_average_loss(reconstruction + kl)
        self.optimizer.apply_gradients(zip(tape.gradient(loss, self.trainable_variables), self.trainable_variables))
        for name, value in (("loss", reconstruction + kl), ("reconstruction", reconstruction), ("kl", kl)):
            self.trackers[name].update_state(value)
        return {name: tracker.result() for name, tracker in self.trackers.items()}

    def decode(self, z):
        r"""Images in [-1, 1] (like the GANs') from latent vectors ``z``: $2\,\mathbb{E}[x \mid z] - 1$."""
        return 2.0 * tf.sigmoid(self.decoder(z)) - 1.0

    def generate(self, n, seed=(0, 0)):
        """``n`` images in [-1, 1] decoded from z ~ N(0, I) drawn with ``seed``."""
        return self.decode(tf.random.stateless_normal((n, self.latent_dim), tf.constant(seed, tf.int64)))
