"""What every model provides to the train step. Each model file has the same sections.

A model is two networks, their optimizers, a latent sampler and a loss pair:

    networks     build_generator(), build_discriminator()
    optimizers   build_optimizers()            default: Adam(2e-4, beta_1=0.5) for both
    latent       sample_latent(n, seed)        default: z ~ N(0, I)
    losses       d_loss(real, z), g_loss(z)    default: the non-saturating GAN pair
                 -> one value per example (or a dict of them, with "d_loss"/"g_loss" optimised)

A model file overrides only what differs from these defaults, so the difference between
two models is the difference between their files.

Under Keras' ``mixed_float16`` policy (``--mixed-precision``) the networks compute in float16 but
their outputs, and so every loss, are float32, and both optimizers scale the loss dynamically.

Create it inside ``strategy.scope()``: the constructor builds the networks and the
optimizers' variables (``optimizer.build``), which a distributed step needs up front.
"""
import keras
import tensorflow as tf

from ganlib import losses


class GAN:
    name = None
    n_critic = 1  # discriminator updates per generator update
    default_steps = 3000  # the CLI's budget, sized for a 2-core CPU (about 3 minutes for DCGAN)
    default_batch_size = 64

    def __init__(self, latent_dim, config):
        self.latent_dim = latent_dim
        self.config = config  # the constructor's arguments: models.get(name)(**config) rebuilds the model
        self.generator = self.build_generator()
        self.discriminator = self.build_discriminator()
        self.g_optimizer, self.d_optimizer = self.build_optimizers()
        if keras.config.dtype_policy().name == "mixed_float16":  # float16 maths, float32 outputs and loss scaling
            self.generator, self.discriminator = _float32_outputs(self.generator), _float32_outputs(self.discriminator)
            self.g_optimizer = keras.optimizers.LossScaleOptimizer(self.g_optimizer)
            self.d_optimizer = keras.optimizers.LossScaleOptimizer(self.d_optimizer)
        self.g_optimizer.build(self.g_variables)
        self.d_optimizer.build(self.d_variables)

    @property
    def g_variables(self):
        return self.generator.trainable_variables

    @property
    def d_variables(self):
        return self.discriminator.trainable_variables

    # optimizers
    def build_optimizers(self):
        """Adam with learning rate 2e-4 and beta_1 = 0.5 for both networks (Radford et al. 2016)."""
        return keras.optimizers.Adam(2e-4, beta_1=0.5), keras.optimizers.Adam(2e-4, beta_1=0.5)

    # latent
    def sample_latent(self, n, seed):
        """``n`` latent vectors z ~ N(0, I), a pure function of ``seed`` (shape [2] ints)."""
        return tf.random.stateless_normal((n, self.latent_dim), seed)

    # losses
    def d_loss(self, real, z):
        fake = self.generator(z, training=True)
        return losses.gan_d_loss(self.discriminator(real, training=True), self.discriminator(fake, training=True))

    def g_loss(self, z):
        return losses.gan_g_loss(self.discriminator(self.generator(z, training=True), training=True))

    def generate(self, n, seed=(0, 0)):
        """``n`` images in [-1, 1] from the latent drawn with ``seed``."""
        return self.generator(self.sample_latent(n, tf.constant(seed, tf.int64)), training=False)


def _float32_outputs(model):
    """``model`` with every output cast to float32 (for mixed precision: losses need the range)."""
    cast = [keras.layers.Activation("linear", dtype="float32")(out) for out in model.outputs]
    return keras.Model(model.inputs, cast if len(cast) > 1 else cast[0], name=model.name)
