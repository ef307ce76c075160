"""Self-conditioning (selfcond.py, LSGAN's and WGAN's default): k-means clusters of the training digits in place of labels."""

import json
import os

import numpy as np
import pytest
import tensorflow as tf

import ganlib
from ganlib import GanlibError, models, rundir
from ganlib.models.selfcond import kmeans


def test_kmeans_finds_separated_groups():
    rng = np.random.default_rng(0)
    centres = rng.uniform(-10, 10, (4, 5))
    truth = rng.integers(0, 4, 400)
    ids = kmeans((centres[truth] + rng.normal(0, 0.1, (400, 5))).astype(np.float32), 4)
    # the same partition, whatever the numbering: each found cluster is one true group
    assert sorted(len(set(truth[ids == j])) for j in range(4)) == [1, 1, 1, 1]
    assert len(set(ids)) == 4


def test_lsgan_trains_on_clusters_of_the_digits_and_draws_them_by_their_share(digits):
    x, y = digits
    gan = models.get("lsgan")(width=4, clusters=3)
    assert gan.generator.input_shape == (None, 64 + 3)  # noise, then the cluster's one-hot
    ids = gan.real_labels(x, y)
    assert ids.dtype == np.int32 and ids.shape == (len(x),) and set(ids) == {0, 1, 2}
    assert gan.cluster_sizes == np.bincount(ids).tolist() and sum(gan.cluster_sizes) == len(x)
    # no label is used: the clusters come from the pixels alone
    assert np.array_equal(ids, gan.real_labels(x, np.zeros_like(y)))
    gan.cluster_sizes = [900, 100, 0]
    drawn = gan.cluster_of(gan.sample_latent(10000, tf.constant([0, 1], tf.int64))).numpy()
    assert np.bincount(drawn, minlength=3)[2] == 0 and 0.88 < np.mean(drawn == 0) < 0.92
    images, conditions = gan.draw(4)
    # clusters are no digits: nothing for evaluate to score as one
    assert images.shape == (4, 28, 28, 1) and conditions == {}


def test_discriminator_scores_each_image_with_its_cluster():
    gan = models.get("lsgan")(width=4, clusters=5)
    x = tf.random.uniform((6, 28, 28, 1), -1, 1)
    a, b = tf.constant([0, 1, 2, 3, 4, 0]), tf.constant([1, 2, 3, 4, 0, 1])
    assert np.allclose(gan.real_scores((x, a)), gan.discriminator([x, a], training=True))
    assert not np.allclose(gan.real_scores((x, a)), gan.real_scores((x, b)), atol=1e-6)
    z = gan.sample_latent(6, tf.constant([3, 0], tf.int64))
    fake = gan.generator(z, training=False)
    assert np.allclose(gan.fake_scores(fake, z), gan.discriminator([fake, gan.cluster_of(z)], training=True))


def test_clusters_switch_off_and_refuse_a_dense_layer():
    plain = models.get("lsgan")(width=4, clusters=0)
    assert plain.generator.input_shape == (None, 64) and len(plain.discriminator.inputs) == 1
    assert plain.real_labels(np.zeros((8, 28, 28), np.uint8), np.zeros(8)) is None
    for name in ("lsgan", "wgan", "wgan-gp"):
        with pytest.raises(GanlibError, match="d_hidden=0"):
            models.get(name)(width=4, d_hidden=16)
    with pytest.raises(GanlibError, match="clusters must be 0"):
        models.get("lsgan")(width=4, clusters=1)
    with pytest.raises(GanlibError, match="at least as many training images"):
        models.get("lsgan")(width=4, clusters=9).real_labels(np.zeros((8, 28, 28), np.uint8), None)


def test_a_run_keeps_its_clusters_and_resumes_only_on_its_digits(digits, tmp_path):
    x, y = digits
    run = str(tmp_path / "run")
    gan = models.build("lsgan", {"width": 4, "clusters": 3}, seed=0)
    ganlib.fit(gan, x, run, steps=4, batch_size=32, verbose=0, checkpoint_every=2)
    with open(os.path.join(run, "run.json")) as f:
        assert json.load(f)["cluster_sizes"] == gan.cluster_sizes
    loaded = rundir.load_run(run)
    assert loaded.cluster_sizes == gan.cluster_sizes
    seed = tf.constant([5, 5], tf.int64)
    assert np.array_equal(
        loaded.cluster_of(loaded.sample_latent(50, seed)), gan.cluster_of(gan.sample_latent(50, seed))
    )
    restored = models.build("lsgan", {"width": 4, "clusters": 3})
    rundir.restore(restored, run)  # the checkpoint, and the cluster sizes its sampler needs
    assert restored.cluster_sizes == gan.cluster_sizes
    again = models.build("lsgan", {"width": 4, "clusters": 3}, seed=0)
    ganlib.fit(again, x, run, steps=6, batch_size=32, verbose=0, resume=True)
    other = models.build("lsgan", {"width": 4, "clusters": 3}, seed=0)
    with pytest.raises(GanlibError, match="trained on other digits"):
        ganlib.fit(other, x[: len(x) // 2], run, steps=8, batch_size=32, verbose=0, resume=True)


@pytest.mark.parametrize("name", ["lsgan", "wgan", "wgan-gp"])
def test_a_run_made_before_a_hyperparameter_existed_rebuilds_as_it_trained(name, digits, tmp_path):
    """An LSGAN, WGAN or WGAN-GP run from before self-conditioning (no ``clusters`` nor ``temperature`` in its run.json) is the
    unconditional model it trained, drawn as trained."""
    x, y = digits
    run = str(tmp_path / "old")
    ganlib.fit(
        models.build(name, {"width": 4, "clusters": 0}, seed=0), x, run, steps=2, batch_size=32, verbose=0
    )
    path = os.path.join(run, "run.json")
    with open(path) as f:
        saved = json.load(f)
    del saved["config"]["clusters"], saved["config"]["temperature"]  # what the run predates
    with open(path, "w") as f:
        json.dump(saved, f)
    gan = rundir.load_run(run)
    assert gan.clusters == 0 and gan.generate(3).shape == (3, 28, 28, 1)
    assert gan.temperature == 1.0  # drawn as it was: WGAN's 0.9 came with the clusters


def test_draw_scales_the_noise_by_the_temperature_and_keeps_the_cluster():
    """``temperature`` (WGAN's 0.95) scales z when drawing, never the cluster, and never what training samples."""
    cold, warm = (models.get("wgan")(width=4, clusters=3, ema=0.0, temperature=t) for t in (0.5, 1.0))
    warm.generator.set_weights(cold.generator.get_weights())
    seed = tf.constant([4, 2], tf.int64)
    z = cold.sample_latent(6, seed)
    np.testing.assert_array_equal(
        z, warm.sample_latent(6, seed)
    )  # training's latent: the temperature plays no part
    np.testing.assert_array_equal(cold.sample_d(6, seed), warm.sample_d(6, seed))
    scaled = tf.concat([0.5 * z[:, :64], z[:, 64:]], axis=1)
    np.testing.assert_allclose(cold.draw(6, (4, 2))[0], cold.generator(scaled, training=False), atol=1e-6)
    np.testing.assert_allclose(warm.draw(6, (4, 2))[0], warm.generator(z, training=False), atol=1e-6)
    assert not np.allclose(cold.draw(6, (4, 2))[0], warm.draw(6, (4, 2))[0], atol=1e-4)
    with pytest.raises(GanlibError, match="cannot be asked for a digit"):
        cold.draw(2, labels=3)
