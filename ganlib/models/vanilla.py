"""The original GAN (Goodfellow et al. 2014): multilayer perceptrons on flattened 784-pixel images.

Generator: z -> 256 -> 512 -> 784 (tanh), reshaped to 28x28x1.
Discriminator: 784 -> 512 -> 256 -> one logit, LeakyReLU(0.2) throughout.
``VanillaGAN`` trains G with the non-saturating loss (the default of ``GAN``, base.py);
``MinimaxGAN`` with the paper's original minimax loss, to show why that one saturates.
Departures from the paper (SGD with momentum, no regulariser), each switchable and measured in 01_vanilla_gan and
README ("R1 for vanilla"):
- Adam with beta_1 = 0.5, samples from a moving average of the generator's weights (decay 0.999, Yazıcı et al.
  2019; ``ema=0`` switches it off);
- R1 (Mescheder et al. 2018) in the discriminator's loss: gamma / 2 times the squared norm of the gradient of its
  logit at each real digit, gamma = ``r1`` = 1 (0: off), and with it both networks at 1e-3. Over seeds 0, 1 and 2 at
  15,000 steps FCD 8.7, precision 0.78, recall 0.78 (seed 0 before: 25.1, 0.85, 0.64). ``--set r1=0 --set d_lr=2e-4``
  is the model before R1 (the generator five times faster than the discriminator, TTUR, Heusel et al. 2017).
The minimax variant's generator learns at 5e-4: at 1e-3 it stalls at once.
"""

import keras
import tensorflow as tf
from keras import layers

from ganlib import losses
from ganlib.models.base import GAN, RANGES

RANGES.update(r1=(lambda v: v >= 0, ">= 0 (0: off)"))


def build_generator(latent_dim=64, width=256):
    return keras.Sequential(
        [
            keras.Input((latent_dim,)),
            layers.Dense(width),
            layers.LeakyReLU(0.2),
            layers.Dense(2 * width),
            layers.LeakyReLU(0.2),
            layers.Dense(28 * 28, activation="tanh"),
            layers.Reshape((28, 28, 1)),
        ],
        name="generator",
    )


def build_discriminator(width=256):
    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            layers.Flatten(),
            layers.Dense(2 * width),
            layers.LeakyReLU(0.2),
            layers.Dense(width),
            layers.LeakyReLU(0.2),
            layers.Dense(1),
        ],
        name="discriminator",
    )


class VanillaGAN(GAN):
    name = "vanilla"
    default_steps = 15000  # an MLP step is cheap: about 2 minutes on a 2-core CPU
    HPARAMS = GAN.HPARAMS | {"width": 256, "g_lr": 1e-3, "d_lr": 1e-3, "ema": 0.999, "r1": 1.0}

    # networks
    def build_generator(self):
        return build_generator(self.latent_dim, self.width)

    def build_discriminator(self):
        return build_discriminator(self.width)

    # losses
    def d_loss(self, real, z):
        r"""$L_D$ plus R1 on the real digits, $\frac{\gamma}{2} \lVert \nabla_x \ell(x) \rVert^2$ ($\ell$: D's logit,
        $\gamma$: ``r1``), the gradient taken in the same pass of D as the loss."""
        if not self.r1:
            return super().d_loss(real, z)
        with tf.GradientTape() as tape:
            tape.watch(real)
            real_logits = self.discriminator(real, training=True)
        penalty = tf.reduce_sum(tf.square(tape.gradient(real_logits, real)), axis=[1, 2, 3])
        fake_logits = self.discriminator(self.generator(z, training=True), training=True)
        return losses.gan_d_loss(real_logits, fake_logits) + self.r1 / 2 * penalty


class MinimaxGAN(VanillaGAN):
    name = "vanilla-minimax"
    HPARAMS = VanillaGAN.HPARAMS | {"g_lr": 5e-4}  # at 1e-3 it stalls at once (01_vanilla_gan)

    # losses
    def g_loss(self, z):
        return losses.minimax_g_loss(self.discriminator(self.generator(z, training=True), training=True))
