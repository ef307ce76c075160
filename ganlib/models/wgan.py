"""WGAN (Arjovsky et al. 2017) and WGAN-GP (Gulrajani et al. 2017): DCGAN's networks, a critic.

The critic f is DCGAN's discriminator with a linear score. WGAN keeps f (roughly)
1-Lipschitz by clipping every weight to [-0.01, 0.01] after each update (batch norm's scale
and offset too, as the authors' code does), and trains with RMSprop as PyTorch computes it
(rho = 0.99, eps = 1e-8 outside the square root), as the authors' code did. Departures from the paper's
RMSprop(5e-5) for both and 5 critic updates a generator update, for training in minutes on a CPU (measured in
04_wgan and README's recipes table): the critic at 2e-4 and the generator at 5e-4 (TTUR, Heusel et al. 2017;
``--set g_lr=5e-5 --set d_lr=5e-5`` is the paper's), and 2 critic updates a generator update (``n_critic=5``).
Three more, for fewer malformed digits (README, "The closest WGAN found", and 04_wgan; each switchable):
- self-conditioning on 50 clusters of the training digits (Liu et al. 2020; selfcond.py, as LSGAN): the critic is
  its projection form (cgan.py's), its cluster vectors clipped too; ``clusters=0`` is the unconditional WGAN;
- the generator's moving average, decay 0.9995 (Yazıcı et al. 2019; at 4,250 generator updates the warm-up
  (1 + t) / (10 + t) < 0.998 sets the decay, so 0.999 trains the same run); ``ema=0`` switches it off;
- sampling at a reduced temperature, 0.9 z (selfcond.py's ``draw``; Kingma & Dhariwal 2018); ``temperature=1`` draws as trained.
WGAN-GP replaces the clipping by a gradient penalty (lambda = 10), with Adam(beta_1 = 0.5, beta_2 = 0.9), and layer
norm instead of batch norm in the critic: the penalty is per example, batch norm would couple them. Departures,
measured in 04_wgan and README ("WGAN-GP self-conditioned: adopted"), each switchable: 2 critic updates a generator
update, not 5 (``n_critic=5``), as WGAN; self-conditioning on 100 clusters (as WGAN; the penalty taken at the
interpolates scored with the real digit's cluster; ``clusters=0``); the generator's moving average, 0.999
(``ema=0``); and Adam at 2e-4 for the generator and 5e-4 for the critic, not the paper's 1e-4
(``--set g_lr=1e-4 --set d_lr=1e-4``). Over seeds 0, 1 and 2 at 6,000 critic steps, the unconditional model at
2e-4 for both: FCD 20.75, precision 0.527, recall 0.868; this one: 4.61, 0.770, 0.773.
"""

import keras
import tensorflow as tf
from keras import layers

from ganlib import losses
from ganlib.errors import GanlibError
from ganlib.models import dcgan
from ganlib.models.dcgan import DCGAN
from ganlib.models.selfcond import SelfConditioned


class Clip(keras.constraints.Constraint):
    """Clip every weight to [-c, c]; Keras applies it right after each optimizer update."""

    def __init__(self, c):
        self.c = c

    def __call__(self, w):
        return keras.ops.clip(w, -self.c, self.c)

    def get_config(self):
        return {"c": self.c}


class TorchRMSprop(keras.optimizers.RMSprop):
    """RMSprop as PyTorch (and so the WGAN authors' code) updates: w -= lr * g / (sqrt(v) + eps).

    Keras' RMSprop divides by sqrt(v + eps) instead: with eps = 1e-8 that floors the denominator at
    1e-4, and a clipped critic's small gradients then move its weights far less than lr a step.
    """

    def update_step(self, gradient, variable, learning_rate):
        v = self._velocities[self._get_variable_index(variable)]
        # dense: an embedding's gradient (the self-conditioned critic's cluster vectors) comes as IndexedSlices;
        # PyTorch's dense embedding gradient is zero for the rows not looked up, and its RMSprop decays their v too
        g = keras.ops.cast(tf.convert_to_tensor(gradient), variable.dtype)
        self.assign(v, self.rho * v + (1 - self.rho) * keras.ops.square(g))
        self.assign_sub(
            variable, keras.ops.cast(learning_rate, variable.dtype) * g / (keras.ops.sqrt(v) + self.epsilon)
        )


class WGAN(SelfConditioned, DCGAN):
    name = "wgan"
    default_steps = 8500  # critic steps: 4,250 generator updates, about 3.5 minutes on a 2-core CPU
    HPARAMS = DCGAN.HPARAMS | {
        "g_lr": 5e-4, "d_lr": 2e-4, "ema": 0.9995, "n_critic": 2, "clip": 0.01, "d_hidden": 0, "clusters": 50,
        "temperature": 0.9,
    }

    # networks
    def build_discriminator(self):
        """DCGAN's discriminator as a critic (with clusters: its projection form, cgan.py's), every weight clipped."""
        critic = (
            super().build_discriminator()
            if self.clusters
            else dcgan.build_discriminator(self.width, norm="batch", name="critic", hidden=self.d_hidden)
        )
        for w in critic.trainable_variables:
            w.constraint = Clip(self.clip)
        return critic

    # optimizers
    def build_optimizers(self):
        return TorchRMSprop(self.g_lr, rho=0.99, epsilon=1e-8), TorchRMSprop(
            self.d_lr, rho=0.99, epsilon=1e-8
        )

    # losses
    def d_loss(self, real, z):
        fake = self.generator(z, training=True)
        loss = losses.wgan_d_loss(self.real_scores(real), self.fake_scores(fake, z))
        return {"d_loss": loss, "wasserstein": -loss}

    def g_loss(self, z):
        return losses.wgan_g_loss(self.fake_scores(self.generator(z, training=True), z))


def build_projection_critic(width, clusters, norm="layer"):
    """cgan.py's projection discriminator on WGAN-GP's critic (layer norm): f(x, j) = w . phi(x) + <e_j, phi(x)>."""
    image, cluster = keras.Input((28, 28, 1)), keras.Input((), dtype="int32")
    body = dcgan.build_discriminator(width, norm=norm, name="critic")
    phi = image
    for layer in body.layers[:-1]:
        phi = layer(phi)
    # the cluster's vector as a dense layer on its one-hot code, as the probe that measured it (an embedding's maths)
    embed = layers.Dense(phi.shape[-1], use_bias=False)(keras.ops.one_hot(cluster, clusters))
    projection = layers.Dot(axes=1)([embed, phi])
    return keras.Model([image, cluster], layers.Add(name="score")([body.layers[-1](phi), projection]), name="critic")


class WGANGP(SelfConditioned, DCGAN):
    name = "wgan-gp"
    default_steps = 6000  # critic steps: 3,000 generator updates, about 4 minutes on a 2-core CPU
    HPARAMS = DCGAN.HPARAMS | {
        "g_lr": 2e-4, "d_lr": 5e-4, "ema": 0.999, "n_critic": 2, "gp_weight": 10.0, "d_hidden": 0, "clusters": 100,
        "temperature": 1.0,
    }

    # networks
    def build_discriminator(self):
        """DCGAN's discriminator in layer norm as the critic; with clusters its projection form, as selfcond.py's."""
        if not self.clusters:
            return dcgan.build_discriminator(self.width, norm="layer", name="critic", hidden=self.d_hidden)
        if self.d_hidden:
            raise GanlibError(f"{self.name}: the self-conditioned critic has no dense layer: --set d_hidden=0, or clusters=0.")
        return build_projection_critic(self.width, self.clusters)

    # optimizers
    def build_optimizers(self):
        return keras.optimizers.Adam(self.g_lr, beta_1=0.5, beta_2=0.9), keras.optimizers.Adam(
            self.d_lr, beta_1=0.5, beta_2=0.9
        )

    # latent
    def sample_d(self, n, seed):
        """z and the penalty's interpolation weights α ~ U[0, 1], drawn with the batch from the run's seed
        stream: a resumed run draws the same α, and replicas split them with the batch."""
        return self.sample_latent(n, seed), tf.random.stateless_uniform(
            [n], tf.random.experimental.stateless_fold_in(seed, 1)
        )

    # losses
    def d_loss(self, real, z_alpha):
        z, alpha = z_alpha
        fake = self.generator(z, training=True)
        loss = losses.wgan_d_loss(self.real_scores(real), self.fake_scores(fake, z))
        x, critic = real, self.discriminator
        if self.clusters:  # the interpolates scored as the real digit's cluster
            (x, y), critic = real, lambda images, training: self.discriminator([images, y], training=training)
        penalty = losses.gradient_penalty(critic, x, fake, alpha)
        return {"d_loss": loss + self.gp_weight * penalty, "wasserstein": -loss, "gradient_penalty": penalty}

    def g_loss(self, z):
        return losses.wgan_g_loss(self.fake_scores(self.generator(z, training=True), z))
