"""Issue 27's probe of self-conditioning (Liu et al. 2020, "Diverse Image Generation via Self-Conditioned GANs"):
an unconditional model trained as a conditional one on cluster ids of the training digits instead of their labels.

    python benchmarks/probe_self_conditioned.py "cgan-self --set clusters=10" "dcgan" --budget 170 --every 85

``cgan-self`` is 08's cGAN (projection discriminator, DCGAN's networks and non-saturating losses) told a cluster id,
not a digit: ``ganlib.models.selfcond.SelfConditioned`` (k-means, k-means++ start, 30 Lloyd iterations, seed 0, on
the training digits' pixels, once before training; each cluster drawn as often as it holds training digits), the
mixin ganlib's LSGAN is built on. A simplification of the paper, which clusters the discriminator's features and
re-clusters during training. No label is used anywhere (the metrics' classifier is trained with labels, but only to
measure). Other recipes are ``time_to_quality.py``'s. Same options and printout as ``time_to_quality.py``.

The same mixin on the other models, each with its own losses, optimizers and hyperparameters (``--set clusters=0``
is the model itself): ``wgan-self`` (ganlib's WGAN at 10 clusters, no average: a projection critic
clipped throughout), ``wgan-gp-self`` (WGAN-GP, a projection critic in layer norm, the penalty at the real digit's
cluster; ``layer_norm=0``: no normalisation, as the authors' MNIST critic, igul222/improved_wgan_training
``gan_mnist.py``; ``gp_every=k``: the penalty on every k-th critic step only, k times as strong, the lazy
regularisation of Karras et al. 2020) and ``vanilla-self`` (the original GAN's perceptrons, a projection discriminator); ``wgan-self-topk``
is ``wgan-self`` with top-k training (Sinha et al. 2020).

``lsgan-self`` is ganlib's LSGAN with this probe's defaults before it was adopted (10 clusters, DCGAN's average
0.999): ``lsgan-self --set clusters=20 --set ema=0.995`` is ``lsgan``. Until 2026-12-07 these recipes were a copy of
the mixin written on cGAN; the same networks, latents and losses, so README's rows hold (the initial weights and
first losses compared in that commit's message).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import keras  # noqa: E402
import tensorflow as tf  # noqa: E402
import time_to_quality as ttq  # noqa: E402
from keras import layers  # noqa: E402

from ganlib import losses  # noqa: E402
from ganlib.models import MODELS, base, dcgan, vanilla  # noqa: E402
from ganlib.models.dcgan import DCGAN  # noqa: E402
from ganlib.models.selfcond import SelfConditioned  # noqa: E402
from ganlib.models.vanilla import VanillaGAN  # noqa: E402
from ganlib.models.wgan import WGAN, WGANGP, build_projection_critic  # noqa: E402


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


class CGANSelf(SelfConditioned, DCGAN):
    """DCGAN's non-saturating losses on the projection networks, without DCGAN's dense layer: 08's cGAN told a cluster."""

    name = "cgan-self"
    HPARAMS = DCGAN.HPARAMS | {"d_hidden": 0, "clusters": 10, "temperature": 1.0}

    def d_loss(self, real, z):
        fake = self.generator(z, training=True)
        return losses.gan_d_loss(self.real_scores(real), self.fake_scores(fake, z))

    def g_loss(self, z):
        return losses.gan_g_loss(self.fake_scores(self.generator(z, training=True), z))


class LSGANSelf(MODELS["lsgan"]):
    """ganlib's LSGAN with the defaults this probe measured it at first."""

    name = "lsgan-self"
    HPARAMS = MODELS["lsgan"].HPARAMS | {"clusters": 10, "ema": 0.999}


class WGANSelf(WGAN):
    """ganlib's WGAN (self-conditioned since 2026-12-07) with the defaults this probe measured it at first: 10
    clusters, no generator average, sampled as trained (temperature 1). Until then a copy written here with a dense layer on the one-hot cluster for the
    embedding (TorchRMSprop took no sparse gradient); the same maths, other initial values of those vectors."""

    name = "wgan-self"
    HPARAMS = WGAN.HPARAMS | {"clusters": 10, "ema": 0.0, "temperature": 1.0}


class WGANGPSelf(WGANGP):
    """ganlib's WGAN-GP (self-conditioned since the night of 2026-12-07) with the defaults this probe measured it at first: 10
    clusters, Adam 1e-4 for both, no generator average; and two switches: ``layer_norm=0`` (no normalisation, as the
    authors' MNIST critic) and ``gp_every=k`` (the lazy penalty). Until then a copy written here, the same networks
    (ganlib's initial weights and configs checked equal to this probe's at the finalist's settings)."""

    name = "wgan-gp-self"
    HPARAMS = WGANGP.HPARAMS | {
        "clusters": 10,
        "g_lr": 1e-4,
        "d_lr": 1e-4,
        "ema": 0.0,
        "layer_norm": 1,
        "gp_every": 1,
    }

    def build_discriminator(self):
        if self.layer_norm:
            return super().build_discriminator()
        if not self.clusters:
            return dcgan.build_discriminator(self.width, norm=None, name="critic", hidden=self.d_hidden)
        return build_projection_critic(self.width, self.clusters, norm=None)

    def d_loss(self, real, z_alpha):
        if self.gp_every == 1 or not self.clusters:
            return super().d_loss(real, z_alpha)
        (z, alpha), (x, y) = z_alpha, real
        fake = self.generator(z, training=True)
        loss = losses.wgan_d_loss(self.real_scores(real), self.fake_scores(fake, z))
        critic = lambda images, training: self.discriminator([images, y], training=training)  # noqa: E731
        penalty = (
            tf.cond(  # lazy: every gp_every-th critic step, gp_every times as strong (Karras et al. 2020)
                self.d_optimizer.iterations % self.gp_every == 0,
                lambda: self.gp_every * losses.gradient_penalty(critic, x, fake, alpha),
                lambda: tf.zeros_like(alpha),
            )
        )
        return {"d_loss": loss + self.gp_weight * penalty, "wasserstein": -loss, "gradient_penalty": penalty}


class VanillaSelf(SelfConditioned, VanillaGAN):
    """The original GAN's perceptrons (vanilla.py, its hyperparameters) with a projection discriminator."""

    name = "vanilla-self"
    HPARAMS = VanillaGAN.HPARAMS | {"clusters": 10, "temperature": 1.0}

    def build_generator(self):
        return vanilla.build_generator(self.latent_dim + self.clusters, self.width)

    def build_discriminator(self):
        if not self.clusters:
            return VanillaGAN.build_discriminator(self)
        return projection(vanilla.build_discriminator(self.width), self.clusters)

    d_loss, g_loss = CGANSelf.d_loss, CGANSelf.g_loss


class WGANSelfTopK(WGANSelf):
    """``wgan-self`` whose generator learns only from its best fakes: top-k training (Sinha et al. 2020, "Top-k
    Training of GANs: Improving GAN Performance by Throwing Away Bad Samples"). Each generator update keeps the k fakes
    of the batch the critic scores highest; k = max(``topk_min``, ``topk_decay`` ** epochs) times the batch, an epoch
    ``topk_epoch`` generator updates (39: 5,000 digits, batch 64, 2 critic steps a generator step); the paper's
    0.99 and 0.5 by default."""

    name = "wgan-self-topk"
    HPARAMS = WGANSelf.HPARAMS | {"topk_decay": 0.99, "topk_min": 0.5, "topk_epoch": 39}

    def g_loss(self, z):
        scores = tf.reshape(self.fake_scores(self.generator(z, training=True), z), [-1])
        epochs = tf.cast(self.g_optimizer.iterations, tf.float32) / self.topk_epoch
        share = tf.maximum(self.topk_min, self.topk_decay**epochs)
        k = tf.cast(tf.math.ceil(share * tf.cast(tf.shape(scores)[0], tf.float32)), tf.int32)
        return losses.wgan_g_loss(tf.math.top_k(scores, k).values)


base.RANGES["layer_norm"] = (lambda v: v in (0, 1), "0 or 1")
base.RANGES["gp_every"] = (lambda v: v >= 1, ">= 1 (1: every critic step)")
for model in (CGANSelf, LSGANSelf, WGANSelf, WGANGPSelf, VanillaSelf, WGANSelfTopK):
    MODELS[model.name] = model


if __name__ == "__main__":
    ttq.main(sys.argv[1:])
