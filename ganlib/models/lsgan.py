"""LSGAN (Mao et al. 2017): DCGAN's networks with least-squares losses.

The a-b-c coding used: a = 0 (target for fakes), b = 1 (target for reals), c = 1 (the value
the generator wants D to output for fakes). The discriminator's output is linear (no sigmoid).
Optimizers are DCGAN's (the paper used DCGAN's Adam(2e-4, 0.5) for both): a lower FCD at equal training time
(measured in 03_lsgan; ``--set g_lr=2e-4 --set ema=0 --set clusters=0`` is the paper's).
Departures, each switchable and measured in 03_lsgan and README:
- self-conditioning on 20 clusters of the training digits (Liu et al. 2020; selfcond.py): precision 0.54 -> 0.75 and
  FCD 22.6 -> 8.1 at 5,000 samples (3 seeds; README, "Self-conditioning"); ``clusters=0`` is the unconditional LSGAN;
- the generator's moving average, decay 0.995 (Yazıcı et al. 2019; with the clusters DCGAN's 0.999 gave recall 0.742
  and precision 0.766, 0.995 gives 0.761 and 0.751); ``ema=0`` switches it off.
"""

from ganlib import losses
from ganlib.models.dcgan import DCGAN
from ganlib.models.selfcond import SelfConditioned


class LSGAN(SelfConditioned, DCGAN):
    name = "lsgan"
    default_steps = 4500  # about 2.5 minutes on a 2-core CPU
    # DCGAN's all-convolutional discriminator (with clusters: its projection form, cgan.py's): with DCGAN's dense
    # layer the unconditional LSGAN draws grey noise for its first 750 to 1,500+ steps and, at 3,000 steps (the same
    # time), trades recall for precision with a wide spread over seeds (README, "Leads for precision")
    HPARAMS = DCGAN.HPARAMS | {"d_hidden": 0, "ema": 0.995, "clusters": 20, "temperature": 1.0}

    # losses
    def d_loss(self, real, z):
        fake = self.generator(z, training=True)
        return losses.lsgan_d_loss(self.real_scores(real), self.fake_scores(fake, z))

    def g_loss(self, z):
        return losses.lsgan_g_loss(self.fake_scores(self.generator(z, training=True), z))
