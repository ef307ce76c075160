"""AC-GAN (Odena et al. 2017): a conditional generator and a discriminator with an auxiliary classifier.

The generator is cGAN's (latent ``[z | one-hot y]``). The discriminator is DCGAN's, with two heads
on its features: the real/fake logit and 10 class logits. With L_S the usual GAN objective and
L_C = E[log P(C = y | x_real)] + E[log P(C = y | G(z, y))], the discriminator maximises L_S + L_C
and the generator L_C - L_S (as losses: cross-entropies added to the non-saturating pair). The
discriminator is not told the label: it must recognise the digit, and the generator must draw one it recognises.
"""

import keras
from keras import layers

from ganlib import losses
from ganlib.models import dcgan
from ganlib.models.cgan import CGAN


def build_discriminator(width=32, classes=10):
    """DCGAN's discriminator with a second head: ``[logit, class logits]``."""
    image = keras.Input((28, 28, 1))
    phi, logit = dcgan.features(image, width)
    return keras.Model(image, [logit(phi), layers.Dense(classes, name="classes")(phi)], name="discriminator")


class ACGAN(CGAN):
    name = "acgan"
    HPARAMS = CGAN.HPARAMS | {"class_weight": 1.0}  # of L_C against L_S (the paper: 1)

    # networks
    def build_discriminator(self):
        return build_discriminator(self.width, self.classes)

    # losses
    def d_loss(self, real, z):
        (x, y), fake = real, self.generator(z, training=True)
        (real_logit, real_classes), (fake_logit, fake_classes) = self.discriminator(x, training=True), self.discriminator(fake, training=True)
        aux = losses.class_nll(y, real_classes) + losses.class_nll(self.labels(z), fake_classes)
        return {"d_loss": losses.gan_d_loss(real_logit, fake_logit) + self.class_weight * aux, "aux": aux}

    def g_loss(self, z):
        fake_logit, fake_classes = self.discriminator(self.generator(z, training=True), training=True)
        return losses.gan_g_loss(fake_logit) + self.class_weight * losses.class_nll(self.labels(z), fake_classes)
