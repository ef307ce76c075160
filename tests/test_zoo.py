"""The model zoo: every loss against hand-computed values, every model's shapes and train step."""

import json
import math
import os

import keras
import numpy as np
import pytest
import tensorflow as tf
from helpers import batch, painter, reader

import ganlib
from ganlib import GanlibError, evaluate, losses, make_train_step, metrics, models, rundir
from ganlib.cli import main
from ganlib.models.infogan import InfoGAN
from ganlib.models.wgan import WGAN, WGANGP, TorchRMSprop

SMALL = {
    "vanilla": dict(width=16),
    "vanilla-minimax": dict(width=16),
    "infogan": dict(noise_dim=8, width=4),
    "cgan": dict(noise_dim=8, width=4),
    "acgan": dict(noise_dim=8, width=4),
}


def small(name):
    return models.get(name)(**SMALL.get(name, dict(latent_dim=8, width=4)))


def test_minimax_g_loss_is_log_one_minus_d():
    got = losses.minimax_g_loss(tf.constant([0.0, math.log(0.1 / 0.9)])).numpy()
    np.testing.assert_allclose(got, [math.log(0.5), math.log(0.9)], rtol=1e-6)


def test_minimax_gradient_vanishes_where_non_saturating_does_not():
    logit = tf.Variable([-8.0])  # D(G(z)) ~ 0.0003: the discriminator rejects the fake
    with tf.GradientTape(persistent=True) as tape:
        mm, ns = losses.minimax_g_loss(logit), losses.gan_g_loss(logit)
    d = 1 / (1 + math.exp(8.0))
    np.testing.assert_allclose(tape.gradient(mm, logit).numpy(), [-d], rtol=1e-4)  # -D
    np.testing.assert_allclose(tape.gradient(ns, logit).numpy(), [-(1 - d)], rtol=1e-4)  # -(1 - D)


def test_least_squares_losses():
    real, fake = tf.constant([1.0, 0.0, 2.0]), tf.constant([0.0, 1.0, -1.0])
    np.testing.assert_allclose(losses.lsgan_d_loss(real, fake).numpy(), [0.0, 1.0, 1.0])
    np.testing.assert_allclose(losses.lsgan_g_loss(fake).numpy(), [0.5, 0.0, 2.0])


def test_wasserstein_losses():
    real, fake = tf.constant([[2.0], [0.5]]), tf.constant([[-1.0], [0.5]])
    np.testing.assert_allclose(losses.wgan_d_loss(real, fake).numpy(), [-3.0, 0.0])
    np.testing.assert_allclose(losses.wgan_g_loss(fake).numpy(), [1.0, -0.5])


def test_gradient_penalty_of_a_linear_critic():
    # f(x) = <w, x> has gradient w everywhere: penalty (|w| - 1)^2 for every alpha.
    w = tf.constant(np.full((1, 28, 28, 1), 3.0 / 28, np.float32))  # |w| = 3
    critic = lambda x, training: tf.reduce_sum(x * w, axis=[1, 2, 3])  # noqa: E731
    real, fake = tf.random.normal((4, 28, 28, 1)), tf.random.normal((4, 28, 28, 1))
    got = losses.gradient_penalty(critic, real, fake, tf.constant([0.0, 0.3, 0.7, 1.0])).numpy()
    np.testing.assert_allclose(got, [4.0] * 4, rtol=1e-5)


def test_gradient_penalty_is_taken_at_the_interpolate():
    # f(x) = |x|^2 / 2 has gradient x: at alpha * x + (1 - alpha) * 0 the norm is alpha |x|.
    critic = lambda x, training: 0.5 * tf.reduce_sum(tf.square(x), axis=[1, 2, 3])  # noqa: E731
    real = tf.constant(np.full((3, 28, 28, 1), 4.0 / 28, np.float32))  # |x| = 4
    got = losses.gradient_penalty(critic, real, tf.zeros_like(real), tf.constant([0.25, 0.5, 1.0])).numpy()
    np.testing.assert_allclose(got, [0.0, 1.0, 9.0], rtol=1e-5, atol=1e-6)


def test_infogan_information_terms():
    code = tf.constant([[0.0, 1.0], [1.0, 0.0]])
    np.testing.assert_allclose(
        losses.categorical_nll(code, tf.zeros((2, 2))).numpy(), [math.log(2)] * 2, rtol=1e-6
    )
    c, mean = tf.constant([[1.0, 0.0]]), tf.constant([[0.0, 0.0]])
    np.testing.assert_allclose(losses.gaussian_nll(c, mean, 0.0).numpy(), [0.5])
    np.testing.assert_allclose(
        losses.gaussian_nll(c, mean, math.log(2.0)).numpy(), [2 * math.log(2) + 0.125], rtol=1e-6
    )


def test_infogan_info_loss_weights_the_continuous_codes_by_cont_weight():
    z = tf.constant([[9.0, 9.0, 9.0, 9.0, *np.eye(10)[3], 1.0, -0.5]])  # noise | code 3 | c2, c3
    q = tf.constant([[0.0] * 10 + [0.0, 0.5]])  # Q guesses the category, predicts means 0 and 0.5
    for weight in (1.0, 0.01, 0.0):  # the authors' equal weights, the default, none
        gan = InfoGAN(noise_dim=4, width=4, cont_weight=weight)
        np.testing.assert_allclose(
            gan.info_loss(z, q, q).numpy(), [math.log(10) + weight * 0.5 * (1.0**2 + 1.0**2)], rtol=1e-6
        )
    assert InfoGAN.HPARAMS["cont_weight"] == 0.01


def test_infogan_generator_has_the_authors_dense_layer_only_when_asked():
    def dense_units(gan):
        return [layer.units for layer in gan.generator.layers if isinstance(layer, keras.layers.Dense)]

    assert dense_units(InfoGAN(noise_dim=4, width=4, hidden=16)) == [7 * 7 * 8]
    assert dense_units(InfoGAN(noise_dim=4, width=4, hidden=16, g_hidden=32)) == [32, 7 * 7 * 8]
    with pytest.raises(GanlibError, match="g_hidden must be >= 0"):
        InfoGAN(noise_dim=4, width=4, g_hidden=-1)


def test_infogan_reads_real_digits_through_the_discriminators_average(digits, tmp_path):
    """After a step, ``ema_discriminator`` is min(q_ema, 2/11) x the initial weights + the rest x the trained ones
    (the generator average's formula), ``predict_codes`` reads through it, and a checkpoint restores it; with
    ``q_ema=0`` Q reads through the discriminator itself."""
    x, _ = digits
    keras.utils.set_random_seed(0)
    gan = InfoGAN(noise_dim=4, width=4, hidden=16)
    start = [w.copy() for w in gan.discriminator.get_weights()]
    step = make_train_step(gan)
    real = ganlib.scale(x[:32])
    step(
        (
            real,
            gan.sample_d(32, tf.constant([0, 1], tf.int64)),
            gan.sample_g(32, tf.constant([0, 2], tf.int64)),
        )
    )
    beta = min(gan.q_ema, 2 / 11)
    for avg, w0, w1 in zip(gan.ema_discriminator.get_weights(), start, gan.discriminator.get_weights()):
        np.testing.assert_allclose(avg, beta * w0 + (1 - beta) * w1, rtol=1e-5, atol=1e-6)
    keras.utils.set_random_seed(
        1
    )  # an average far from the trained weights, so that the codes tell them apart
    gan.ema_discriminator.set_weights(InfoGAN(noise_dim=4, width=4, hidden=16).discriminator.get_weights())
    averaged = tf.argmax(gan.ema_discriminator(real, training=False)[1][:, :10], axis=1)
    trained = tf.argmax(gan.discriminator(real, training=False)[1][:, :10], axis=1)
    assert not np.array_equal(averaged, trained)
    np.testing.assert_array_equal(gan.predict_codes(real), averaged)

    run = str(tmp_path / "run")
    ganlib.fit(gan, x, run, steps=2, batch_size=32, verbose=0)
    restored = InfoGAN(noise_dim=4, width=4, hidden=16)
    rundir.restore(restored, run)
    for mine, saved in zip(restored.ema_discriminator.get_weights(), gan.ema_discriminator.get_weights()):
        np.testing.assert_array_equal(mine, saved)
    np.testing.assert_array_equal(restored.predict_codes(real), gan.predict_codes(real))

    off = InfoGAN(noise_dim=4, width=4, hidden=16, q_ema=0)
    assert off.ema_discriminator is off.discriminator
    assert InfoGAN.HPARAMS["q_ema"] == 0.999


def test_an_infogan_run_from_before_g_hidden_cont_weight_and_q_ema_rebuilds_as_it_trained(digits, tmp_path):
    """A run.json without them is a run of the authors' generator and equal weights, whose Q reads through the
    discriminator itself (rundir.PREDATED): its checkpoint, which holds no discriminator average, restores."""
    x, _ = digits
    run, authors = str(tmp_path / "old"), {"g_hidden": 1024, "cont_weight": 1.0, "q_ema": 0.0}
    small = {"noise_dim": 4, "width": 4, "hidden": 16}
    trained = models.build("infogan", small | authors, seed=0)
    ganlib.fit(trained, x, run, steps=2, batch_size=32, verbose=0)
    path = os.path.join(run, "run.json")
    with open(path) as f:
        saved = json.load(f)
    for name in authors:
        del saved["config"][name]
    with open(path, "w") as f:
        json.dump(saved, f)
    gan = rundir.load_run(run)  # restores the checkpoint: the generator must have the dense layer to take it
    assert {k: gan.config[k] for k in authors} == authors
    np.testing.assert_allclose(gan.generate(3), trained.generate(3), atol=1e-5)
    evaluated = rundir.build_model(rundir.read_run(run))  # as ``evaluate`` reads a run: Q from its checkpoint
    assert rundir.restore(evaluated, run) == 2  # no discriminator average asked for, none in the checkpoint
    real = ganlib.scale(x[:8])
    np.testing.assert_array_equal(evaluated.predict_codes(real), trained.predict_codes(real))


def test_infogan_reads_the_category_from_the_augmented_copy_and_the_continuous_codes_from_the_fake():
    gan = InfoGAN(noise_dim=4, width=4, cont_weight=1.0)
    z = tf.constant([[9.0, 9.0, 9.0, 9.0, *np.eye(10)[3], 1.0, -0.5]])
    q = tf.constant([[0.0] * 10 + [1.0, -0.5]])  # reads the continuous codes exactly, guesses the category
    q_augmented = tf.constant(
        [[0.0] * 3 + [50.0] + [0.0] * 6 + [9.0, 9.0]]
    )  # reads the category, not the others
    np.testing.assert_allclose(gan.info_loss(z, q, q_augmented).numpy(), [0.0], atol=1e-5)
    np.testing.assert_allclose(
        gan.info_loss(z, q_augmented, q).numpy(), [math.log(10) + 0.5 * (8.0**2 + 9.5**2)], rtol=1e-5
    )


def test_infogan_augment_0_is_the_papers_form_which_never_reads_the_copy():
    keras.utils.set_random_seed(0)
    gan = InfoGAN(noise_dim=4, width=4, hidden=16, augment=0)
    real = tf.constant(np.random.default_rng(0).uniform(-1, 1, (8, 28, 28, 1)), tf.float32)
    z, params = gan.sample_g(8, tf.constant([0, 0], tf.int64))
    assert params.shape == (8, 4) and np.all(np.abs(params) <= 1.0)
    info = lambda p: gan.d_loss(real, (z, p))["info"].numpy()
    np.testing.assert_array_equal(info(params), info(-params))  # the copy's parameters change nothing
    reading = InfoGAN(noise_dim=4, width=4, hidden=16, augment=1)  # the same networks, Q reading the copy
    reading.generator.set_weights(gan.generator.get_weights())
    reading.discriminator.set_weights(gan.discriminator.get_weights())
    info = lambda p: reading.d_loss(real, (z, p))["info"].numpy()
    assert not np.allclose(info(params), info(-params))  # they do when Q reads the copy


def test_augment_rotates_scales_and_shifts_about_the_centre():
    from ganlib.models.infogan import augment

    image = -np.ones((1, 28, 28, 1), np.float32)
    image[0, 5:12, 13:15] = 1.0  # a bar above the centre

    def moved(params, **ranges):
        return augment(tf.constant(image), tf.constant([params], tf.float32), **ranges).numpy()

    np.testing.assert_allclose(moved([0, 0, 0, 0]), image, atol=1e-6)  # no change
    np.testing.assert_allclose(
        moved([0, 0, 1, -1]), np.roll(image, (-2, 2), axis=(1, 2)), atol=1e-6
    )  # 2 right, 2 up
    np.testing.assert_allclose(
        moved([1, 0, 0, 0], rotation=90.0), np.rot90(image, 1, axes=(1, 2)), atol=1e-5
    )  # anticlockwise
    assert moved([0, 1, 0, 0])[0, 4:24, 13:15].sum() > image[0, 4:24, 13:15].sum()  # zoom 1.1: a longer bar
    assert moved([0, 1, 1, 1]).min() >= -1.0 and moved([1, 1, 1, 1]).max() <= 1.0


@pytest.mark.parametrize("name", sorted(models.MODELS))
def test_shapes(name):
    gan = small(name)
    z = gan.sample_latent(3, tf.constant([1, 2], tf.int64))
    clusters = getattr(
        gan, "clusters", 0
    )  # a self-conditioned model's latent ends in the cluster's one-hot code
    assert z.shape == (3, gan.latent_dim + clusters)
    images = gan.generator(z, training=False)
    assert images.shape == (3, 28, 28, 1) and np.all(np.abs(images.numpy()) <= 1.0)
    if gan.conditional:
        np.testing.assert_array_equal(gan.labels(gan.with_labels(z, [7, 0, 3])), [7, 0, 3])
    told = (
        gan.labels(z) if name == "cgan" else gan.cluster_of(z) if clusters else None
    )  # what D is told beside
    out = gan.discriminator(images if told is None else [images, told], training=False)
    if name in ("infogan", "acgan"):
        assert out[0].shape == (3, 1) and out[1].shape == (3, 12 if name == "infogan" else 10)
    else:
        assert out.shape == (3, 1)


@pytest.fixture(scope="module")
def two_replicas():
    # one strategy for every model in turn: also checks that training a second model in the same
    # process works (collective all-reduces fail there, tensorflow/tensorflow#62790)
    return ganlib.get_strategy("mirrored")  # 2 replicas: tests/conftest.py splits the CPU in two


@pytest.mark.parametrize("replicas", [1, 2])
@pytest.mark.parametrize("name", sorted(models.MODELS))
def test_one_train_step(name, replicas, two_replicas):
    strategy = two_replicas if replicas == 2 else tf.distribute.get_strategy()
    with strategy.scope():
        gan = small(name)
    before = [w.numpy().copy() for w in gan.g_variables + gan.d_variables]
    dist = strategy.experimental_distribute_dataset(tf.data.Dataset.from_tensors(batch(gan)))
    metrics_ = {k: float(v) for k, v in make_train_step(gan, strategy)(next(iter(dist))).items()}
    assert {"d_loss", "g_loss"} <= metrics_.keys()
    assert all(math.isfinite(v) for v in metrics_.values()), metrics_
    after = [w.numpy() for w in gan.g_variables + gan.d_variables]
    assert all(not np.array_equal(a, b) for a, b in zip(before[: len(gan.g_variables)], after)), (
        "generator unchanged"
    )
    assert any(
        not np.array_equal(a, b)
        for a, b in zip(before[len(gan.g_variables) :], after[len(gan.g_variables) :])
    )


@pytest.mark.parametrize("clusters", [3, 0])
def test_weight_clipping_keeps_every_critic_weight_in_bounds(clusters):
    """Batch norm's scale and offset, and the self-conditioned critic's cluster vectors, are clipped too."""
    keras.utils.set_random_seed(0)
    gan = WGAN(latent_dim=8, width=4, clusters=clusters)
    assert (
        max(float(np.abs(w.numpy()).max()) for w in gan.d_variables) > gan.clip
    )  # initial weights are larger
    kinds = (
        (keras.layers.BatchNormalization, keras.layers.Embedding)
        if clusters
        else (keras.layers.BatchNormalization,)
    )
    for kind in kinds:
        found = [layer for layer in gan.discriminator.layers if isinstance(layer, kind)]
        assert found and all(
            v.constraint is not None for layer in found for v in layer.trainable_variables
        ), kind
    step = make_train_step(gan)
    for _ in range(2):
        step(batch(gan), False)
    for w in gan.d_variables:
        assert np.abs(w.numpy()).max() <= gan.clip + 1e-7, w.path


def test_wgan_is_self_conditioned_its_critic_scoring_each_image_with_its_cluster():
    """Per example, as the step averages them: L_D = f(G(z, j), j) - f(x, k(x)), L_G = -f(G(z, j), j)."""
    gan = WGAN(latent_dim=8, width=4, clusters=5)
    assert gan.generator.input_shape == (None, 8 + 5) and len(gan.discriminator.inputs) == 2
    x = tf.random.uniform((6, 28, 28, 1), -1, 1)
    a, b = tf.constant([0, 1, 2, 3, 4, 0]), tf.constant([1, 2, 3, 4, 0, 1])
    assert not np.allclose(gan.real_scores((x, a)), gan.real_scores((x, b)), atol=1e-6)

    def f(images, clusters):
        return tf.reshape(gan.discriminator([images, clusters], training=True), [-1])

    z = gan.sample_latent(6, tf.constant([3, 0], tf.int64))
    fake = gan.generator(z, training=True)
    np.testing.assert_allclose(gan.g_loss(z), -f(fake, gan.cluster_of(z)), rtol=1e-5, atol=1e-7)
    (images, clusters), z_d, _ = batch(gan, 6)
    fake_d = gan.generator(z_d, training=True)
    np.testing.assert_allclose(
        gan.d_loss((images, clusters), z_d)["d_loss"],
        f(fake_d, gan.cluster_of(z_d)) - f(images, clusters),
        rtol=1e-5,
        atol=1e-7,
    )
    plain = WGAN(latent_dim=8, width=4, clusters=0)
    assert plain.generator.input_shape == (None, 8) and len(plain.discriminator.inputs) == 1


def test_wgan_gp_is_self_conditioned_its_penalty_taken_at_the_real_digits_cluster():
    """Per example: L_D = f(G(z, j), j) - f(x, k(x)) + lambda * (|grad f(x_hat, k(x))| - 1)^2 at
    x_hat = alpha x + (1 - alpha) G(z, j), L_G = -f(G(z, j), j); ``clusters=0`` is the unconditional WGAN-GP."""
    gan = WGANGP(latent_dim=8, width=4, clusters=5)
    assert gan.generator.input_shape == (None, 8 + 5) and len(gan.discriminator.inputs) == 2
    (images, clusters), (z, alpha), _ = batch(gan, 6)
    images, clusters, fake = tf.constant(images), tf.constant(clusters), gan.generator(z, training=True)

    def f(x, c):
        return tf.reshape(gan.discriminator([x, c], training=True), [-1])

    def penalty(c):
        mixed = tf.reshape(alpha, [-1, 1, 1, 1]) * images + tf.reshape(1 - alpha, [-1, 1, 1, 1]) * fake
        with tf.GradientTape() as tape:
            tape.watch(mixed)
            scores = f(mixed, c)
        return (tf.norm(tf.reshape(tape.gradient(scores, mixed), [6, -1]), axis=1) - 1) ** 2

    at_real, at_fake = penalty(clusters), penalty(gan.cluster_of(z))
    assert not np.allclose(
        at_real, at_fake, rtol=1e-3
    )  # the cluster moves the penalty: the test can tell them apart
    got = gan.d_loss((images, clusters), (z, alpha))
    np.testing.assert_allclose(got["gradient_penalty"], at_real, rtol=1e-4, atol=1e-6)
    expected = f(fake, gan.cluster_of(z)) - f(images, clusters) + gan.gp_weight * at_real
    np.testing.assert_allclose(got["d_loss"], expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(gan.g_loss(z), -f(fake, gan.cluster_of(z)), rtol=1e-5, atol=1e-7)
    plain = WGANGP(latent_dim=8, width=4, clusters=0)
    assert plain.generator.input_shape == (None, 8) and len(plain.discriminator.inputs) == 1


@pytest.mark.parametrize("name", ["vanilla", "vanilla-minimax"])
def test_vanilla_discriminator_loss_adds_r1_on_the_real_digits(name):
    """Per example: L_D = -log D(x) - log(1 - D(G(z))) + gamma / 2 * |grad_x logit(x)|^2 (Mescheder et al. 2018), the
    gradient at the real digit only; ``r1=0`` is the plain loss."""
    gan = models.get(name)(width=16, r1=3.0)
    real, z, _ = batch(gan, 6)
    real = tf.constant(real)
    with tf.GradientTape() as tape:
        tape.watch(real)
        logits = gan.discriminator(real, training=True)
    squared = tf.reduce_sum(tf.square(tape.gradient(logits, real)), axis=[1, 2, 3])
    plain = losses.gan_d_loss(logits, gan.discriminator(gan.generator(z, training=True), training=True))
    np.testing.assert_allclose(gan.d_loss(real, z), plain + 1.5 * squared, rtol=1e-5)
    assert np.all(1.5 * squared.numpy() > 1e-3 * np.abs(plain.numpy()))  # the penalty is not lost in the sum
    off = models.get(name)(width=16, r1=0.0)
    off.discriminator.set_weights(gan.discriminator.get_weights())
    off.generator.set_weights(gan.generator.get_weights())
    np.testing.assert_allclose(off.d_loss(real, z), plain, rtol=1e-5)


@pytest.mark.parametrize("name", ["vanilla", "vanilla-minimax"])
def test_a_vanilla_run_from_before_r1_rebuilds_without_it(name, digits, tmp_path):
    """A run.json without ``r1`` is a run trained without R1 (rundir.PREDATED): resuming it trains as it did."""
    x, _ = digits
    run = str(tmp_path / "old")
    ganlib.fit(models.build(name, {"width": 8, "r1": 0.0}, seed=0), x, run, steps=2, batch_size=32, verbose=0)
    path = os.path.join(run, "run.json")
    with open(path) as f:
        saved = json.load(f)
    del saved["config"]["r1"]
    with open(path, "w") as f:
        json.dump(saved, f)
    assert rundir.read_run(run)["config"]["r1"] == 0.0 and rundir.load_run(run).r1 == 0.0
    assert models.get(name)().r1 == 1.0  # today's default, which the old run must not take


def test_wgan_gp_critic_has_no_batch_norm():
    layers = [type(layer).__name__ for layer in small("wgan-gp").discriminator.layers]
    assert "BatchNormalization" not in layers and "LayerNormalization" in layers


def test_code_accuracy_finds_the_best_mapping():
    labels = np.random.default_rng(0).integers(0, 10, 500)
    permutation = np.random.default_rng(1).permutation(10)
    accuracy, mapping = metrics.code_accuracy(permutation[labels], labels)
    assert accuracy == 1.0
    assert all(mapping[permutation[k]] == k for k in range(10))
    codes = permutation[labels].copy()
    codes[:100] = (codes[:100] + 1) % 10  # 100 of 500 moved to a wrong code
    assert metrics.code_accuracy(codes, labels)[0] == pytest.approx(0.8)


def test_confusion_matrix_counts_code_label_pairs():
    matrix = metrics.confusion([0, 0, 1, 2, 2, 2], [1, 1, 0, 2, 2, 0], k=3)
    np.testing.assert_array_equal(matrix, [[0, 2, 0], [1, 0, 0], [1, 0, 2]])  # row: code, column: label
    with pytest.raises(ValueError, match="equal-length"):
        metrics.confusion([0, 1], [0])


def test_generated_code_accuracy_reads_the_codes_the_digits_were_drawn_with(monkeypatch):
    gan = InfoGAN(noise_dim=8, width=4)
    images, conditions = evaluate.draw(gan, 300, seed=(1, 0), batch_size=128)
    codes = conditions["codes"]
    z = np.concatenate(
        [
            gan.sample_latent(m, tf.constant((1, s), tf.int64)).numpy()
            for m, s in ((128, 0), (128, 128), (44, 256))
        ]
    )
    np.testing.assert_array_equal(codes, z[:, 8:18].argmax(1))  # the batches generate() draws
    permutation = np.random.default_rng(0).permutation(10)
    probs = np.eye(10)[permutation[codes]]  # a classifier that reads every code as a permuted digit
    monkeypatch.setattr(
        evaluate,
        "embed",
        lambda model, images: (np.random.default_rng(0).normal(size=(len(images), 4)), probs),
    )
    measured = evaluate.measure(
        None, images, (np.random.default_rng(1).normal(size=(300, 4)), None), codes=codes
    )
    assert measured["generated_code_accuracy"] == 1.0
    probs = np.eye(10)[(permutation[codes] + (np.arange(300) < 60)) % 10]  # 60 of 300 read as another digit
    assert evaluate.measure(
        None, images, (np.random.default_rng(1).normal(size=(300, 4)), None), codes=codes
    )["generated_code_accuracy"] == pytest.approx(0.8)


def test_infogan_latent_and_traversal():
    gan = InfoGAN(noise_dim=8, width=4)
    z = gan.sample_latent(1000, tf.constant([3, 4], tf.int64)).numpy()
    code = z[:, 8:18]
    assert set(np.unique(code)) == {0.0, 1.0} and np.all(code.sum(1) == 1)
    assert np.all(np.bincount(gan.codes(z).numpy(), minlength=10) > 60)  # all ten values, roughly uniform
    assert z[:, 18:].min() >= -1 and z[:, 18:].max() <= 1 and z[:, 18:].min() < -0.9
    grid = gan.traversal(1, columns=5, span=2.0).numpy()
    assert grid.shape == (50, 20)
    assert list(gan.codes(grid).numpy()) == [k for k in range(10) for _ in range(5)]
    np.testing.assert_allclose(grid[:5, 19], [-2, -1, 0, 1, 2])
    assert np.all(grid[:, 18] == 0) and np.all(grid[:, :8] == grid[0, :8])
    order = [3, 1, 2, 0, 9, 8, 7, 6, 5, 4]  # e.g. the codes of the digits 0-9, rows in digit order
    np.testing.assert_array_equal(
        gan.traversal(1, columns=5, span=2.0, order=order).numpy().reshape(10, 5, 20),
        grid.reshape(10, 5, 20)[order],
    )


def test_sample_writes_the_infogan_code_each_digit_was_drawn_with(tmp_path, mnist_path, monkeypatch):
    """With a saved generator that paints its categorical code into the image (``helpers.painter``), the 'codes'
    array ``sample`` writes is the code each image shows."""
    monkeypatch.setenv("GANLIB_SMOKE", "1")
    run = str(tmp_path / "run")
    small_infogan = ["--set", "noise_dim=8", "--set", "width=4", "--set", "hidden=16"]
    assert (
        main(
            [
                "train",
                "infogan",
                "--steps",
                "2",
                "--batch-size",
                "32",
                *small_infogan,
                "--out",
                run,
                "--data",
                mnist_path,
            ]
        )
        == 0
    )
    painter(8 + 10 + 2, 8).save(os.path.join(run, "generator.keras"))
    assert main(["sample", run, "--n", "50", "--out", str(tmp_path / "s.npz")]) == 0
    with np.load(tmp_path / "s.npz") as f:
        assert f["samples"].shape == (50, 28, 28) and f["codes"].shape == (50,)
        assert len(set(f["codes"])) >= 5  # drawn at random: not one code for all
        np.testing.assert_array_equal(f["codes"], f["samples"][:, 0, :10].argmax(1))


def test_generated_code_accuracy_pairs_each_image_with_its_code(digits):
    """Through evaluate_model, no stub: a generator that paints its code, a classifier that reads it: 100%."""
    gan = InfoGAN(noise_dim=8, width=4, hidden=16)
    gan.generator = gan.ema_generator = painter(gan.latent_dim, gan.noise_dim)
    model = reader()
    result = evaluate.evaluate_model(gan, model, evaluate.embed_reference(model, digits[0][:50]), 300)
    assert result["generated_code_accuracy"] == 1.0


def test_torch_rmsprop_puts_epsilon_outside_the_square_root():
    w = keras.Variable([1.0, 1.0])
    gradient = np.array([3e-3, 2.0], np.float32)
    TorchRMSprop(0.1, rho=0.9, epsilon=1e-2).apply_gradients([(tf.constant(gradient), w)])
    v = 0.1 * gradient**2
    np.testing.assert_allclose(w.numpy(), 1 - 0.1 * gradient / (np.sqrt(v) + 1e-2), rtol=1e-6)
    assert not np.allclose(
        w.numpy(), 1 - 0.1 * gradient / np.sqrt(v + 1e-2), rtol=1e-3
    )  # Keras' placement differs


def test_torch_rmsprop_takes_an_embeddings_sparse_gradient_as_its_dense_one():
    """The self-conditioned critic's cluster vectors get IndexedSlices: rows not looked up see a zero gradient
    (as PyTorch's dense embedding gradient), so their running mean decays and they do not move."""
    sparse, dense = keras.Variable(np.ones((3, 2), np.float32)), keras.Variable(np.ones((3, 2), np.float32))
    rows = tf.constant([[0.5, -2.0]])
    for w, g in (
        (sparse, tf.IndexedSlices(rows, tf.constant([1]), tf.constant([3, 2]))),
        (dense, tf.scatter_nd([[1]], rows, [3, 2])),
    ):
        optimizer = TorchRMSprop(0.1, rho=0.9, epsilon=1e-8)
        for _ in range(2):
            optimizer.apply_gradients([(g, w)])
    np.testing.assert_allclose(sparse.numpy(), dense.numpy(), rtol=1e-6)
    assert np.array_equal(sparse.numpy()[[0, 2]], np.ones((2, 2))) and not np.allclose(sparse.numpy()[1], 1)
