"""What every model provides to the train step. Each model file has the same sections.

A model is two networks, their optimizers, a latent sampler and a loss pair:

    networks     build_generator(), build_discriminator()
    optimizers   build_optimizers()
    latent       sample_latent(n, seed)
    losses       d_loss(real, z), g_loss(z)  -> one value per example

Create it inside ``strategy.scope()``: the constructor builds the networks and the
optimizers' variables (``optimizer.build``), which a distributed step needs up front.
"""
import tensorflow as tf


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
        self.g_optimizer.build(self.g_variables)
        self.d_optimizer.build(self.d_variables)

    @property
    def g_variables(self):
        return self.generator.trainable_variables

    @property
    def d_variables(self):
        return self.discriminator.trainable_variables

    def sample_latent(self, n, seed):
        """``n`` latent vectors z ~ N(0, I), a pure function of ``seed`` (shape [2] ints)."""
        return tf.random.stateless_normal((n, self.latent_dim), seed)

    def generate(self, n, seed=(0, 0)):
        """``n`` images in [-1, 1] from the latent drawn with ``seed``."""
        return self.generator(self.sample_latent(n, tf.constant(seed, tf.int64)), training=False)
