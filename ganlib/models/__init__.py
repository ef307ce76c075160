"""The models, by the name the command line and notebooks use."""
from ganlib.errors import GanlibError
from ganlib.models.acgan import ACGAN
from ganlib.models.cgan import CGAN
from ganlib.models.dcgan import DCGAN
from ganlib.models.infogan import InfoGAN
from ganlib.models.lsgan import LSGAN
from ganlib.models.vae import VAE  # not a GAN: trained with keras' fit, not in MODELS
from ganlib.models.vanilla import MinimaxGAN, VanillaGAN
from ganlib.models.wgan import WGAN, WGANGP

MODELS = {m.name: m for m in (VanillaGAN, MinimaxGAN, DCGAN, LSGAN, WGAN, WGANGP, InfoGAN, CGAN, ACGAN)}


def get(name):
    """The model class called ``name`` (``"dcgan"``, ...)."""
    try:
        return MODELS[name]
    except KeyError:
        raise GanlibError(f"unknown model {name!r}; choose one of {', '.join(sorted(MODELS))}.") from None
