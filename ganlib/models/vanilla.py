"""The original GAN (Goodfellow et al. 2014): multilayer perceptrons on flattened 784-pixel images.

Generator: z -> 256 -> 512 -> 784 (tanh), reshaped to 28x28x1.
Discriminator: 784 -> 512 -> 256 -> one logit, LeakyReLU(0.2) throughout.
``VanillaGAN`` trains G with the non-saturating loss (the default of ``GAN``, base.py);
``MinimaxGAN`` with the paper's original minimax loss, to show why that one saturates.
Adam with beta_1 = 0.5; the generator learns at 1e-3, five times the discriminator's 2e-4 (TTUR, Heusel
et al. 2017), and samples come from a moving average of its weights (decay 0.999, Yazıcı et al. 2019): both
lower the FCD at equal training time (measured in 01_vanilla_gan; ``--set g_lr=2e-4 --set ema=0`` switches them
off). The minimax variant's generator learns at 5e-4: at 1e-3 it stalls at once.
"""

import keras
from keras import layers

from ganlib import losses
from ganlib.models.base import GAN


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
    HPARAMS = GAN.HPARAMS | {"width": 256, "g_lr": 1e-3, "ema": 0.999}

    # networks
    def build_generator(self):
        return build_generator(self.latent_dim, self.width)

    def build_discriminator(self):
        return build_discriminator(self.width)


class MinimaxGAN(VanillaGAN):
    name = "vanilla-minimax"
    HPARAMS = VanillaGAN.HPARAMS | {"g_lr": 5e-4}  # at 1e-3 it stalls at once (01_vanilla_gan)

    # losses
    def g_loss(self, z):
        return losses.minimax_g_loss(self.discriminator(self.generator(z, training=True), training=True))
