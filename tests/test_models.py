import numpy as np
import pytest
import tensorflow as tf

from ganlib import GanlibError, models
from ganlib.models import dcgan


def test_dcgan_shapes_and_ranges():
    gan = models.get("dcgan")(latent_dim=16, width=8)
    z = gan.sample_latent(5, tf.constant([1, 2], tf.int64))
    assert z.shape == (5, 16)
    images = gan.generator(z, training=False)
    assert images.shape == (5, 28, 28, 1)
    assert np.all(np.abs(images.numpy()) <= 1.0)  # tanh output, the data's [-1, 1] range
    assert gan.discriminator(images).shape == (5, 1)


def test_dcgan_is_sized_by_its_arguments():
    small, big = dcgan.build_generator(16, 8), dcgan.build_generator(16, 16)
    assert small.count_params() < big.count_params()
    assert dcgan.build_discriminator(8).count_params() < dcgan.build_discriminator(16).count_params()


def test_latent_is_a_pure_function_of_the_seed():
    gan = dcgan.DCGAN(latent_dim=8, width=4)
    a = gan.sample_latent(3, tf.constant([7, 0], tf.int64))
    b = gan.sample_latent(3, tf.constant([7, 0], tf.int64))
    c = gan.sample_latent(3, tf.constant([8, 0], tf.int64))
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)


def test_optimizers_are_built_with_the_model():
    gan = dcgan.DCGAN(latent_dim=8, width=4)
    assert gan.g_optimizer.built and gan.d_optimizer.built


def test_unknown_model_name_says_what_exists():
    with pytest.raises(GanlibError, match="unknown model 'dcgna'.*dcgan"):
        models.get("dcgna")
