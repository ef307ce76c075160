"""What every model provides to the train step. Each model file has the same sections.

A model is two networks, their optimizers, a latent sampler and a loss pair:

    networks     build_generator(), build_discriminator()
    optimizers   build_optimizers()            default: Adam(g_lr) and Adam(d_lr), beta_1 = 0.5
    latent       sample_latent(n, seed)        default: z ~ N(0, I)
                 sample_d(n, seed)             default: z (d_loss's second argument)
                 sample_g(n, seed)             default: z (g_loss's argument)
    losses       d_loss(real, z), g_loss(z)    default: the non-saturating GAN pair
                 -> one value per example (or a dict of them, with "d_loss"/"g_loss" optimised)

A model file overrides only what differs from these defaults, so the difference between
two models is the difference between their files. A conditional model (``conditional = True``: cgan.py,
acgan.py) trains on ``(images, labels)`` batches (``real`` is the pair) and carries the digit it draws in z.

Hyperparameters are declared once, in the class's ``HPARAMS`` table (name: default; a model's table extends
its parent's, and a class attribute of a parent's hyperparameter's name, ``g_lr = 1e-3``, is folded into it).
A model reads them as attributes (``self.g_lr``); a run overrides any of them by name
(``DCGAN(g_lr=1e-3)``, ``python -m ganlib train dcgan --set g_lr=1e-3``) and records all of them in its
``run.json`` (``gan.config``), so ``models.build(name, config)`` rebuilds the same model. They are fixed once the
model is built: build another model to change one. What a model can do beyond the GAN game is a method every
model has: ``grid_latent()`` (the latents of its progress grids), ``draw(n, seed, labels)`` (images with what
they were drawn for: a conditional model's labels, InfoGAN's codes) and ``predict_codes(images)`` (InfoGAN's Q).

The generator's weights are also kept as an exponential moving average (``ema``, Yazıcı et al.
2019), updated after every generator step, when ``ema`` (the decay) is set: ``ema_generator`` draws
the samples, grids and saved generator; with ``ema=0`` it is ``generator`` itself.

Under Keras' ``mixed_float16`` policy (``--mixed-precision``) the networks compute in float16 but
their outputs, and so every loss, are float32, and both optimizers scale the loss dynamically.

Create it inside ``strategy.scope()``: the constructor builds the networks and the
optimizers' variables (``optimizer.build``), which a distributed step needs up front.
"""

import math

import keras
import tensorflow as tf

from ganlib import losses
from ganlib.errors import GanlibError


class GAN:
    name = None
    default_steps = 3000  # the CLI's budget, sized for a 2-core CPU (about 3 minutes for DCGAN)
    default_batch_size = 64

    conditional = False  # True: trained on (images, labels), the latent carries the digit asked for (cgan.py)
    HPARAMS = {  # what a run may override, with its default
        "latent_dim": 64,
        "width": 32,
        "g_lr": 2e-4,  # generator's learning rate
        "d_lr": 2e-4,  # discriminator's learning rate
        "ema": 0.0,  # decay of the generator's moving average (0: off; models turn it on where it was measured to help)
        "n_critic": 1,  # discriminator updates per generator update
    }

    def __init_subclass__(cls, **kwargs):
        """A subclass may also override a hyperparameter as a plain class attribute (``g_lr = 1e-3``): it is folded
        into the subclass's ``HPARAMS``, so the table stays the one place its value is kept."""
        super().__init_subclass__(**kwargs)
        table = dict(cls.HPARAMS)
        for name in [k for k in vars(cls) if k in table]:
            table[name] = vars(cls)[name]
            delattr(cls, name)
        cls.HPARAMS = table

    def __init__(self, **hparams):
        unknown = sorted(set(hparams) - set(self.HPARAMS))
        if unknown:
            raise GanlibError(
                f"{self.name} has no hyperparameter {unknown[0]!r}; it has {', '.join(self.HPARAMS)}."
            )
        object.__setattr__(
            self,
            "_config",
            {k: _checked(self.name, k, hparams.get(k, v), v) for k, v in self.HPARAMS.items()},
        )
        self.mixed_precision = keras.config.dtype_policy().name == "mixed_float16"
        self.generator = self.build_generator()
        self.discriminator = self.build_discriminator()
        self.g_optimizer, self.d_optimizer = self.build_optimizers()
        if self.mixed_precision:  # float16 maths, float32 outputs and loss scaling
            self.generator, self.discriminator = (
                _float32_outputs(self.generator),
                _float32_outputs(self.discriminator),
            )
            self.g_optimizer = keras.optimizers.LossScaleOptimizer(self.g_optimizer)
            self.d_optimizer = keras.optimizers.LossScaleOptimizer(self.d_optimizer)
        self.ema_generator = _copy(self.generator) if self.ema else self.generator
        self.g_optimizer.build(self.g_variables)
        self.d_optimizer.build(self.d_variables)

    @property
    def config(self):
        """Every hyperparameter's value (a copy): ``models.build(self.name, self.config)`` rebuilds the model."""
        return dict(self._config)

    def __getattr__(self, name):  # only for names not found otherwise: the hyperparameters
        config = self.__dict__.get("_config", {})
        if name in config:
            return config[name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __setattr__(self, name, value):
        if name in self.HPARAMS:
            raise AttributeError(
                f"{self.name}'s {name} is fixed when the model is built: build another, e.g. "
                f"{type(self).__name__}({name}={value!r})."
            )
        object.__setattr__(self, name, value)

    @property
    def g_variables(self):
        return self.generator.trainable_variables

    @property
    def d_variables(self):
        return self.discriminator.trainable_variables

    # optimizers
    def build_optimizers(self):
        """Adam with beta_1 = 0.5 (Radford et al. 2016), at ``g_lr`` and ``d_lr``."""
        return keras.optimizers.Adam(self.g_lr, beta_1=0.5), keras.optimizers.Adam(self.d_lr, beta_1=0.5)

    # latent
    def sample_latent(self, n, seed):
        """``n`` latent vectors z ~ N(0, I), a pure function of ``seed`` (shape [2] ints)."""
        return tf.random.stateless_normal((n, self.latent_dim), seed)

    def sample_d(self, n, seed):
        """What ``d_loss`` gets beside the real batch, a pure function of ``seed``: z (WGAN-GP adds its α)."""
        return self.sample_latent(n, seed)

    def sample_g(self, n, seed):
        """What ``g_loss`` gets, a pure function of ``seed``: z (InfoGAN adds its augmentation's parameters)."""
        return self.sample_latent(n, seed)

    def real_labels(self, images, labels):
        """What ``fit`` pairs each training image with: its digit for a conditional model, else nothing (None);
        a self-conditioned model, its cluster (selfcond.py)."""
        return labels if self.conditional else None

    # losses
    def d_loss(self, real, z):
        fake = self.generator(z, training=True)
        return losses.gan_d_loss(self.discriminator(real, training=True), self.discriminator(fake, training=True))

    def g_loss(self, z):
        return losses.gan_g_loss(self.discriminator(self.generator(z, training=True), training=True))

    # the generator's moving average
    def update_ema(self):
        r"""$\bar\theta \leftarrow \beta_t \bar\theta + (1 - \beta_t)\,\theta$ after the generator step $t$, with the
        warm-up $\beta_t = \min(\beta, \frac{1 + t}{10 + t})$ of ``tf.train.ExponentialMovingAverage``, so that the
        random initial weights are soon forgotten. Batch norm's moving statistics are averaged too."""
        if self.ema_generator is self.generator:
            return
        t = tf.cast(self.g_optimizer.iterations, tf.float32)
        beta = tf.minimum(self.ema, (1.0 + t) / (10.0 + t))
        for avg, w in zip(self.ema_generator.weights, self.generator.weights):
            avg.assign(beta * avg + (1.0 - beta) * tf.cast(w, avg.dtype))

    # what the model draws
    def draw(self, n, seed=(0, 0), labels=None):
        """``(images, conditions)``: ``n`` images in [-1, 1] by the averaged generator from the latent drawn with
        ``seed``, and what each was drawn for: ``{}`` here, InfoGAN's ``{"codes": ...}``, a conditional model's
        ``{"labels": ...}``. ``labels``: the digits to draw, for a conditional model (cgan.py); ``"all"`` (equally
        many of each) means nothing here."""
        if labels is not None and not (isinstance(labels, str) and labels == "all"):
            raise GanlibError(
                f"{self.name} cannot be asked for a digit: labels need a conditional model (cgan, acgan)."
            )
        z = self.sample_latent(n, tf.constant(seed, tf.int64))
        return self.ema_generator(z, training=False), self.conditions(z)

    def conditions(self, z):
        """What the latents ``z`` ask the generator for beside the noise: nothing for an unconditional GAN."""
        return {}

    def generate(self, n, seed=(0, 0)):
        """``n`` images in [-1, 1] from the latent drawn with ``seed``, by the averaged generator."""
        return self.draw(n, seed)[0]

    def grid_latent(self, seed=(2024, 11)):
        """The 100 latents every progress grid of a run is drawn from (a fixed seed)."""
        return self.sample_latent(100, tf.constant(seed, tf.int64))

    def predict_codes(self, images):
        """A model that learns a code of its own (InfoGAN): the code it reads in each image. Others have none."""
        return None


# The range of each hyperparameter that is not simply "> 0" (sizes, learning rates, n_critic, clip): (test, wording).
RANGES = {
    "ema": (lambda v: 0 <= v < 1, "in [0, 1) (0 switches the average off)"),
    "augment": (lambda v: v in (0, 1), "0 or 1"),
    "rotation": (lambda v: v >= 0, ">= 0"),
    "info_weight": (lambda v: v >= 0, ">= 0"),
    "gp_weight": (lambda v: v >= 0, ">= 0"),
    "class_weight": (lambda v: v >= 0, ">= 0"),
    "d_hidden": (lambda v: v >= 0, ">= 0 (0: no dense layer)"),
    "clusters": (lambda v: v == 0 or v >= 2, "0 (off) or >= 2"),
}


def _checked(model, name, value, default):
    """``value`` for the hyperparameter ``name``, if it is of its default's kind (a float takes an int) and in its
    range (``RANGES``; every other hyperparameter must be > 0)."""
    kinds = (int, float) if isinstance(default, float) else (type(default),)
    if isinstance(value, bool) or not isinstance(value, kinds):
        raise GanlibError(
            f"{model}: {name} must be {' or '.join(k.__name__ for k in kinds)} like its default {default!r}, not {value!r}."
        )
    within, wording = RANGES.get(name, (lambda v: v > 0, "> 0"))
    if not (math.isfinite(value) and within(value)):
        raise GanlibError(f"{model}: {name} must be {wording}, not {value!r} (its default is {default!r}).")
    return float(value) if isinstance(default, float) else value


def _copy(model):
    """A copy of ``model`` with its own variables, starting from the same values."""
    copy = keras.models.clone_model(model)
    copy.set_weights(model.get_weights())
    return copy


def _float32_outputs(model):
    """``model`` with every output cast to float32 (for mixed precision: losses need the range)."""
    cast = [keras.layers.Activation("linear", dtype="float32")(out) for out in model.outputs]
    return keras.Model(model.inputs, cast if len(cast) > 1 else cast[0], name=model.name)
