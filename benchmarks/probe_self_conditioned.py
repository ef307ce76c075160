"""Issue 27's probe of self-conditioning (Liu et al. 2020, "Diverse Image Generation via Self-Conditioned GANs"):
an unconditional model trained as a conditional one on cluster ids of the training digits instead of their labels.

    python benchmarks/probe_self_conditioned.py "cgan-self --set clusters=10" "dcgan" --budget 170 --every 85

``cgan-self`` is ganlib's cGAN (projection discriminator, DCGAN's networks) told a cluster id, not a digit: the
ids come from k-means (k-means++ start, Lloyd's iterations, seed 0) on the training digits' pixels, computed once
before training, and the generator draws each cluster as often as it holds training digits. A simplification of
the paper, which clusters the discriminator's features and re-clusters during training. No label is used
anywhere (the metrics' classifier is trained with labels, but only to measure). Other recipes are
``time_to_quality.py``'s, trained on the same digits with their labels. Same options and printout as
``time_to_quality.py`` (``cgan-self`` has no label column: a cluster is not a digit).

The same conditioning carried to the other models, each with its own losses, optimizers and hyperparameters:
``lsgan-self`` (LSGAN's losses on cgan-self's networks), ``wgan-self`` (weight-clipped WGAN, a projection critic
clipped throughout), ``wgan-gp-self`` (WGAN-GP, a projection critic in layer norm, the penalty at the real digit's
cluster) and ``vanilla-self`` (the original GAN's perceptrons, a projection discriminator).

``lsgan-self --set clusters=20 --set ema=0.995`` is ganlib's LSGAN since (``ganlib/models/selfcond.py``, the same
k-means, networks and sampling: ``time_to_quality.py "lsgan"`` gives its seeds 0-2 to the last printed digit).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import time_to_quality as ttq  # noqa: E402
from keras import layers  # noqa: E402

from ganlib import losses  # noqa: E402
from ganlib.models import MODELS, base, dcgan, vanilla  # noqa: E402
from ganlib.models.cgan import CGAN  # noqa: E402
from ganlib.models.selfcond import kmeans  # noqa: E402
from ganlib.models.wgan import WGAN, WGANGP, Clip  # noqa: E402

CLUSTERS = {}  # k: (cluster id of each training digit, share of the training digits in each cluster)


class SelfConditioned(CGAN):
    name = "cgan-self"
    HPARAMS = CGAN.HPARAMS | {"clusters": 10}

    @property
    def classes(self):
        return self.clusters

    def sample_latent(self, n, seed):
        """[z ~ N(0, I)^64 | one-hot cluster], the cluster drawn with the share of training digits it holds."""
        share = tf.constant(np.log(CLUSTERS[self.clusters][1])[None], tf.float32)
        y = tf.random.stateless_categorical(share, n, tf.random.experimental.stateless_split(seed, 2)[1])[0]
        return self.with_labels(super().sample_latent(n, seed), y)  # cGAN's noise, this cluster

    def draw(self, n, seed=(0, 0), labels=None):
        """``n`` digits, each cluster as often as in the training digits (``labels`` ignored: clusters are no digits)."""
        return self.ema_generator(self.sample_latent(n, tf.constant(seed, tf.int64)), training=False), {}

    def grid_latent(self, seed=(2024, 11)):
        return self.sample_latent(100, tf.constant(seed, tf.int64))

    # for the other losses below: D's scores, each image with its cluster
    def scores(self, real, z):
        """The reals x, their clusters y, the fakes G(z), D's scores of the reals and of the fakes."""
        (x, y), fake = real, self.generator(z, training=True)
        return (
            x,
            y,
            fake,
            self.discriminator([x, y], training=True),
            self.discriminator([fake, self.labels(z)], training=True),
        )

    def fake_scores(self, z):
        return self.discriminator([self.generator(z, training=True), self.labels(z)], training=True)


def projection(body, classes, name="discriminator"):
    """``body`` (a Sequential discriminator ending in its one output) as a projection discriminator on (image, cluster):
    output = body's last layer(phi(x)) + <embed(cluster), phi(x)>, phi(x) the input of that last layer (cgan.py's form)."""
    image, label = keras.Input((28, 28, 1)), keras.Input((), dtype="int32")
    phi = image
    for layer in body.layers[:-1]:
        phi = layer(phi)
    # an embedding as a dense layer on the one-hot cluster: the same maths, and a dense gradient (wgan.py's RMSprop
    # takes no sparse one)
    embed = layers.Dense(phi.shape[-1], use_bias=False)(keras.ops.one_hot(label, classes))
    return keras.Model(
        [image, label], layers.Add()([body.layers[-1](phi), layers.Dot(axes=1)([embed, phi])]), name=name
    )


class SelfConditionedLSGAN(SelfConditioned):
    """LSGAN's least-squares losses (Mao et al. 2017) on cgan-self's networks."""

    name = "lsgan-self"

    def d_loss(self, real, z):
        return losses.lsgan_d_loss(*self.scores(real, z)[3:])

    def g_loss(self, z):
        return losses.lsgan_g_loss(self.fake_scores(z))


# WGAN's hyperparameters the self-conditioned critics do not take over: cgan's latent is noise_dim + clusters (a
# property), their critics have no dense layer, and n_critic is a class attribute (as cgan's)
SKIP = ("latent_dim", "d_hidden", "n_critic")


class SelfConditionedWGAN(SelfConditioned):
    """Weight-clipped WGAN (wgan.py: its hyperparameters, clipping, PyTorch's RMSprop) with a projection critic."""

    name = "wgan-self"
    HPARAMS = SelfConditioned.HPARAMS | {k: v for k, v in WGAN.HPARAMS.items() if k not in SKIP}
    n_critic = 2  # as WGAN's (a class attribute, as cgan's n_critic = 1)
    build_optimizers = WGAN.build_optimizers

    def build_discriminator(self):
        critic = projection(dcgan.build_discriminator(self.width, name="critic"), self.classes, "critic")
        for w in critic.trainable_variables:
            w.constraint = Clip(self.clip)
        return critic

    def d_loss(self, real, z):
        loss = losses.wgan_d_loss(*self.scores(real, z)[3:])
        return {"d_loss": loss, "wasserstein": -loss}

    def g_loss(self, z):
        return losses.wgan_g_loss(self.fake_scores(z))


class SelfConditionedWGANGP(SelfConditionedWGAN):
    """WGAN-GP (wgan.py: its hyperparameters, Adam, the penalty at lambda = 10) with a projection critic in layer norm;
    the penalty's interpolates are scored as the real digit's cluster."""

    name = "wgan-gp-self"
    HPARAMS = SelfConditioned.HPARAMS | {k: v for k, v in WGANGP.HPARAMS.items() if k not in SKIP}
    build_optimizers, sample_d = WGANGP.build_optimizers, WGANGP.sample_d

    def build_discriminator(self):
        return projection(
            dcgan.build_discriminator(self.width, norm="layer", name="critic"), self.classes, "critic"
        )

    def d_loss(self, real, z_alpha):
        z, alpha = z_alpha
        x, y, fake, real_scores, fake_scores = self.scores(real, z)
        loss = losses.wgan_d_loss(real_scores, fake_scores)
        critic = lambda images, training: self.discriminator([images, y], training=training)  # noqa: E731
        penalty = losses.gradient_penalty(critic, x, fake, alpha)
        return {"d_loss": loss + self.gp_weight * penalty, "wasserstein": -loss, "gradient_penalty": penalty}


class SelfConditionedVanilla(SelfConditioned):
    """The original GAN's perceptrons (vanilla.py, its hyperparameters) with a projection discriminator."""

    name = "vanilla-self"
    HPARAMS = SelfConditioned.HPARAMS | {"width": 256}

    def build_generator(self):
        return vanilla.build_generator(self.latent_dim, self.width)

    def build_discriminator(self):
        return projection(vanilla.build_discriminator(self.width), self.classes)


for model in (
    SelfConditioned,
    SelfConditionedLSGAN,
    SelfConditionedWGAN,
    SelfConditionedWGANGP,
    SelfConditionedVanilla,
):
    MODELS[model.name] = model
base.RANGES["clusters"] = (lambda v: v >= 2, ">= 2")


def cluster_labels(gan, x, y):
    """The labels a recipe trains with: ``cgan-self``'s cluster ids (k-means, computed once a k), else the digits."""
    if not isinstance(gan, SelfConditioned):
        return y
    k = gan.clusters
    if k not in CLUSTERS:
        ids = kmeans(x.reshape(len(x), -1).astype(np.float32) / 255, k)
        CLUSTERS[k] = ids.astype(np.int32), np.bincount(ids, minlength=k) / len(ids)
        purity = sum(np.bincount(y[ids == j]).max() for j in range(k) if (ids == j).any()) / len(y)
        print(f"k-means, {k} clusters: sizes {np.bincount(ids, minlength=k).tolist()}, purity {purity:.1%}")
    return CLUSTERS[k][0]


if __name__ == "__main__":
    ttq.main(sys.argv[1:], train_labels=cluster_labels)
