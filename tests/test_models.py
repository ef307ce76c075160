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


def test_a_dense_layer_before_the_output_is_dcgans_and_switchable_in_the_others():
    """DCGAN's discriminator has a ``d_hidden``-unit dense layer before its logit (batch norm, LeakyReLU); d_hidden=0
    is the all-convolutional one. LSGAN, WGAN and WGAN-GP leave it out unless asked, and then normalise it as their
    convolutions (batch, layer norm), the clipped critic clipping it too."""
    from keras import layers

    from ganlib.models.wgan import Clip

    def units(gan):
        return [layer.units for layer in gan.discriminator.layers if isinstance(layer, layers.Dense)]

    assert units(dcgan.DCGAN(width=4)) == [1024, 1] and units(dcgan.DCGAN(width=4, d_hidden=0)) == [1]
    for name, norm in (
        ("dcgan", layers.BatchNormalization),
        ("lsgan", layers.BatchNormalization),
        ("wgan", layers.BatchNormalization),
        ("wgan-gp", layers.LayerNormalization),
    ):
        plain = (
            {"clusters": 0} if name in ("lsgan", "wgan", "wgan-gp") else {}
        )  # self-conditioned LSGAN, WGAN and WGAN-GP: the projection D, no dense layer (test_selfcond, test_zoo)
        if name != "dcgan":
            assert units(models.get(name)(width=4, **plain)) == [1], name
        d = models.get(name)(width=4, d_hidden=16, **plain).discriminator
        assert [type(layer) for layer in d.layers[-4:]] == [
            layers.Dense,
            norm,
            layers.LeakyReLU,
            layers.Dense,
        ], name
        assert units(models.get(name)(width=4, d_hidden=16, **plain)) == [16, 1], name
    clipped = models.get("wgan")(width=4, d_hidden=16, clusters=0).discriminator
    assert all(isinstance(w.constraint, Clip) for w in clipped.trainable_variables)


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


def test_vae_shapes_ranges_and_elbo():
    vae = models.VAE(latent_dim=3)
    x = tf.random.stateless_uniform((5, 28, 28, 1), (0, 1))
    mean, log_var = vae.encode(x)
    assert mean.shape == log_var.shape == (5, 3)
    assert vae(x).shape == (5, 28, 28, 1)
    images = vae.generate(7, seed=(1, 2))
    assert (
        images.shape == (7, 28, 28, 1)
        and float(tf.reduce_min(images)) >= -1
        and float(tf.reduce_max(images)) <= 1
    )
    np.testing.assert_array_equal(images, vae.generate(7, seed=(1, 2)))
    reconstruction, kl = vae.losses_of(x)
    assert reconstruction.shape == kl.shape == (5,)
    assert np.all(kl.numpy() >= 0) and np.all(reconstruction.numpy() > 0)


def test_vae_trains_with_keras_fit(digits):
    x = (digits[0][:128, :, :, None] / 255.0).astype("float32")
    vae = models.VAE(latent_dim=2)
    vae.compile(optimizer="adam")
    history = vae.fit(x, epochs=3, batch_size=32, verbose=0).history
    assert np.all(np.isfinite(history["loss"])) and history["loss"][-1] < history["loss"][0]


def test_vae_history_is_the_mean_over_each_epochs_batches(digits):
    """Keras' history holds what train_step returns after an epoch's last batch: the VAE returns running means,
    so each epoch's value is the mean of its batches' losses, not the last batch's."""
    x = (digits[0][:128, :, :, None] / 255.0).astype("float32")
    vae = models.VAE(latent_dim=2)
    vae.compile(optimizer="adam", run_eagerly=True)  # eagerly, so that each batch's loss can be recorded
    batches, losses_of = [], vae.losses_of

    def recording(images):
        reconstruction, kl = losses_of(images)
        batches.append(float(np.mean(reconstruction + kl)))
        return reconstruction, kl

    vae.losses_of = recording
    history = vae.fit(x, epochs=2, batch_size=32, shuffle=False, verbose=0).history
    assert len(batches) == 8
    np.testing.assert_allclose(history["loss"], [np.mean(batches[:4]), np.mean(batches[4:])], rtol=1e-5)
    assert abs(history["loss"][0] - batches[3]) > 1e-3  # the last batch alone differs


@pytest.mark.parametrize("name", sorted(models.MODELS))
def test_hyperparameters_are_declared_once_and_fixed_when_built(name):
    """``HPARAMS`` is the one table of a model's hyperparameters: ``config`` has exactly its names, ``build`` from a
    config rebuilds it, and a built model's hyperparameters cannot change (a run.json would no longer describe it)."""
    cls = models.get(name)
    small = {"width": 4} | ({"noise_dim": 8} if "noise_dim" in cls.HPARAMS else {"latent_dim": 8})
    gan = models.build(name, small, seed=0)
    assert list(gan.config) == list(cls.HPARAMS) and gan.config == cls.HPARAMS | small
    assert all(getattr(gan, k) == v for k, v in gan.config.items())  # read as attributes
    assert models.build(name, gan.config).config == gan.config
    with pytest.raises(AttributeError, match="fixed when the model is built"):
        gan.width = 8
    copy = gan.config
    copy["width"] = 99
    assert gan.width == 4 and gan.config["width"] == 4


def test_build_follows_the_seed_and_restores_the_precision_policy():
    import keras

    weights = lambda seed: models.build("dcgan", {"width": 4}, seed=seed).generator.get_weights()[0]  # noqa: E731
    np.testing.assert_array_equal(weights(1), weights(1))
    assert not np.allclose(weights(1), weights(2))
    gan = models.build("dcgan", {"width": 4}, mixed_precision=True)
    assert gan.mixed_precision and keras.config.dtype_policy().name == "float32"
    assert any(layer.compute_dtype == "float16" for layer in gan.generator.layers)


@pytest.mark.parametrize("name", sorted(models.MODELS))
def test_draw_returns_what_each_image_was_drawn_for(name):
    cls = models.get(name)
    gan = models.build(
        name, {"width": 4} | ({"noise_dim": 8} if "noise_dim" in cls.HPARAMS else {"latent_dim": 8})
    )
    images, conditions = gan.draw(20, (3, 0))
    assert images.shape == (20, 28, 28, 1)
    np.testing.assert_array_equal(gan.generate(20, (3, 0)), gan.draw(20, (3, 0), "all")[0])
    assert gan.grid_latent().shape == (100, gan.generator.input_shape[-1])
    if gan.conditional:
        assert list(conditions) == ["labels"]
        assert list(gan.draw(20, (3, 0), "all")[1]["labels"]) == [i % 10 for i in range(20)]
        assert list(gan.draw(5, (3, 0), 7)[1]["labels"]) == [7] * 5
        assert list(gan.labels(gan.grid_latent())) == [
            k for k in range(10) for _ in range(10)
        ]  # row k: digit k
    else:
        with pytest.raises(GanlibError, match="cannot be asked for a digit"):
            gan.draw(5, (3, 0), 7)
        assert list(conditions) == (["codes"] if name == "infogan" else [])
        assert (gan.predict_codes(images) is None) == (name != "infogan")


def test_a_subclass_may_override_a_hyperparameter_as_a_class_attribute():
    """As notebook 00's ring GANs do: the attribute is folded into the table, so config tells the truth."""

    class Faster(models.DCGAN):
        name = "faster"
        g_lr = 3e-3
        n_critic = 2

    gan = Faster(width=4)
    assert gan.config["g_lr"] == gan.g_lr == 3e-3 and gan.config["n_critic"] == gan.n_critic == 2
    assert "g_lr" not in vars(Faster) and models.DCGAN.HPARAMS["g_lr"] == 1e-3  # the parent's table untouched
