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

__all__ = [
    "ACGAN",
    "CGAN",
    "DCGAN",
    "InfoGAN",
    "LSGAN",
    "VAE",
    "MinimaxGAN",
    "VanillaGAN",
    "WGAN",
    "WGANGP",
    "MODELS",
    "build",
    "get",
]

MODELS = {m.name: m for m in (VanillaGAN, MinimaxGAN, DCGAN, LSGAN, WGAN, WGANGP, InfoGAN, CGAN, ACGAN)}


def get(name):
    """The model class called ``name`` (``"dcgan"``, ...)."""
    try:
        return MODELS[name]
    except KeyError:
        raise GanlibError(f"unknown model {name!r}; choose one of {', '.join(sorted(MODELS))}.") from None


def build(name, hparams=None, *, strategy=None, seed=None, mixed_precision=False):
    """The model ``name`` with ``hparams`` (``{name: value}``) overriding its defaults, built inside ``strategy``'s
    scope (default: the current one), in float32 or under Keras' ``mixed_float16`` policy, with initial weights that
    follow ``seed`` (``keras.utils.set_random_seed``; None leaves the random state as it is). The policy in force
    before is restored: the model keeps its own (``gan.mixed_precision``)."""
    import keras
    import tensorflow as tf

    model = get(name)
    policy = keras.config.dtype_policy()
    keras.mixed_precision.set_dtype_policy("mixed_float16" if mixed_precision else "float32")
    try:
        if seed is not None:
            keras.utils.set_random_seed(seed)
        with (strategy or tf.distribute.get_strategy()).scope():
            return model(**(hparams or {}))
    finally:
        keras.mixed_precision.set_dtype_policy(policy)
