"""DCGAN (Radford et al. 2016) for 28x28 MNIST, sized to train in minutes on a CPU.

Generator: z -> dense 7x7x(2w) -> transposed conv to 14x14xw -> conv 14x14xw -> transposed conv to 28x28x1, tanh.
Discriminator: conv 14x14xw -> conv 7x7x(2w) -> dense 1024 -> one logit (no sigmoid: the loss applies it).
Batch norm in both (not on the discriminator's input layer, as in the paper); it is
synchronised across replicas, so a step on several devices equals the same step on one.
Losses and optimizers are the defaults of ``GAN`` (base.py): the non-saturating pair, Adam with beta_1 = 0.5.
Departures from the paper, each switchable and measured in README's recipes table and in 02_dcgan:
- 5x5 kernels in the strided (transposed) convolutions, as the paper's code, and a 3x3 stride-1 convolution at
  14x14 in the generator (ours): a lower FCD at equal training time (``build_generator(kernel=4, refine=False)``
  is the plain form);
- the generator learns at 1e-3, five times the discriminator's 2e-4 (TTUR, Heusel et al. 2017: faster progress;
  ``g_lr=2e-4`` is the paper's);
- samples come from a moving average of its weights (decay 0.999, Yazıcı et al. 2019: fewer broken digits;
  ``ema=0`` switches it off);
- a dense hidden layer of 1,024 units (batch norm, LeakyReLU 0.2) before the discriminator's logit, as InfoGAN's
  authors' discriminator (Chen et al. 2016): a layer that sees the whole 7x7 feature map removes most malformed
  digits (precision 0.51-0.54 -> 0.73-0.76 at 5,000 samples: README's leads and results); ``d_hidden=0`` is the paper's
  all-convolutional discriminator.
"""

import keras
from keras import layers

from ganlib.models.base import GAN


def build_generator(latent_dim=64, width=32, kernel=5, refine=True, hidden=0):
    """``kernel``: the transposed convolutions' size; ``refine``: the 3x3 convolution at 14x14;
    ``hidden``: units of a dense layer before the 7x7 one (0: none). InfoGAN keeps its authors' shape:
    4x4, no refining convolution, a 1024-unit dense layer."""

    def block(layer):
        return [layer, layers.BatchNormalization(synchronized=True), layers.ReLU()]

    return keras.Sequential(
        [
            keras.Input((latent_dim,)),
            *(block(layers.Dense(hidden, use_bias=False)) if hidden else []),
            *block(layers.Dense(7 * 7 * 2 * width, use_bias=False)),
            layers.Reshape((7, 7, 2 * width)),
            *block(layers.Conv2DTranspose(width, kernel, strides=2, padding="same", use_bias=False)),
            *(block(layers.Conv2D(width, 3, padding="same", use_bias=False)) if refine else []),
            layers.Conv2DTranspose(1, kernel, strides=2, padding="same", activation="tanh"),
        ],
        name="generator",
    )


def build_discriminator(width=32, norm="batch", name="discriminator", hidden=0):
    """Strided convolutions 28 -> 14 -> 7, then one output (a logit, or a critic's score).

    ``norm`` after the second convolution (and the dense layer): ``"batch"`` (synchronised across replicas),
    ``"layer"`` (per example: what a gradient penalty needs), or ``None``.
    ``hidden``: units of a dense layer before the output (0: none, the all-convolutional form).
    """
    norms = {
        "batch": lambda: layers.BatchNormalization(synchronized=True),
        "layer": layers.LayerNormalization,
    }
    if norm not in (None, *norms):
        raise ValueError(f"norm must be 'batch', 'layer' or None, not {norm!r}")
    dense = []  # before the output: a dense layer, normalised as the convolution before it
    if hidden:
        dense = [layers.Dense(hidden, use_bias=norm != "batch"), *([norms[norm]()] if norm else []), layers.LeakyReLU(0.2)]
    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            layers.Conv2D(width, 5, strides=2, padding="same"),
            layers.LeakyReLU(0.2),
            # batch norm removes a bias (its gradient is exactly 0, and Adam would amplify float noise)
            layers.Conv2D(2 * width, 5, strides=2, padding="same", use_bias=norm != "batch"),
            *([norms[norm]()] if norm else []),
            layers.LeakyReLU(0.2),
            layers.Flatten(),
            *dense,
            layers.Dense(1),
        ],
        name=name,
    )


def features(image, width=32):
    """DCGAN's discriminator applied to ``image`` up to its flattened features phi(x); and its last layer (the logit)."""
    dc = build_discriminator(width)
    phi = image
    for layer in dc.layers[:-1]:
        phi = layer(phi)
    return phi, dc.layers[-1]


class DCGAN(GAN):
    name = "dcgan"
    default_steps = 3000  # about 2.5 minutes on a 2-core CPU (a step with the dense layer costs 1.75 without)
    HPARAMS = GAN.HPARAMS | {"g_lr": 1e-3, "ema": 0.999, "d_hidden": 1024}

    # networks
    def build_generator(self):
        return build_generator(self.latent_dim, self.width)

    def build_discriminator(self):
        return build_discriminator(self.width, hidden=self.d_hidden)
