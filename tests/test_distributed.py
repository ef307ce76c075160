"""One train step on 2 replicas (MirroredStrategy over 2 logical CPUs) equals the same step on 1:
DCGAN (synchronised batch norm), WGAN-GP (its penalty's α comes with the batch and is split with it) and cGAN
(the labels come with the batch)."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from helpers import CountsExamples, batch

import ganlib
from ganlib import make_train_step
from ganlib.models.cgan import CGAN
from ganlib.models.dcgan import DCGAN
from ganlib.models.wgan import WGANGP

MODELS = [DCGAN, WGANGP, CGAN]


def small(model):
    return model(**{"noise_dim" if model.conditional else "latent_dim": 8}, width=4)


def train_two_steps(model, strategy, weights, synchronized=True):
    with strategy.scope():
        gan = small(model)
        if not synchronized:  # the same generator with per-replica batch statistics
            config = gan.generator.get_config()
            for layer in config["layers"]:
                if layer["class_name"] == "BatchNormalization":
                    layer["config"]["synchronized"] = False
            gan.generator = keras.Sequential.from_config(config)
            gan.g_optimizer = keras.optimizers.Adam(2e-4, beta_1=0.5)
            gan.g_optimizer.build(gan.g_variables)
    gan.generator.set_weights(weights[0])
    gan.discriminator.set_weights(weights[1])
    step = make_train_step(gan, strategy)
    metrics = []
    for seed in (1, 2):
        dist = strategy.experimental_distribute_dataset(tf.data.Dataset.from_tensors(batch(gan, 16, seed)))
        metrics.append({k: float(v) for k, v in step(next(iter(dist))).items()})
    return metrics, gan.generator.get_weights() + gan.discriminator.get_weights()


@pytest.fixture(scope="module", params=MODELS, ids=lambda m: m.name)
def model(request):
    return request.param


@pytest.fixture(scope="module")
def start(model):
    keras.utils.set_random_seed(0)
    gan = small(model)
    return gan.generator.get_weights(), gan.discriminator.get_weights()


@pytest.fixture(scope="module")
def one_device(model, start):
    return train_two_steps(model, tf.distribute.get_strategy(), start)


@pytest.fixture(scope="module")
def two_replicas():
    strategy = ganlib.get_strategy("mirrored")  # over the 2 logical CPUs of tests/conftest.py
    assert strategy.num_replicas_in_sync == 2
    return strategy


def test_two_replicas_equal_one_device(model, start, one_device, two_replicas):
    metrics1, weights1 = one_device
    metrics2, weights2 = train_two_steps(model, two_replicas, start)
    for m1, m2 in zip(metrics1, metrics2):
        assert m1.keys() == m2.keys() and {"d_loss", "g_loss"} <= m1.keys()
        for k in m1:
            assert m2[k] == pytest.approx(m1[k], rel=1e-5, abs=1e-6)
    assert not np.allclose(weights1[0], start[0][0])  # the step did train
    # Trainable weights and batch-norm statistics. Adam divides a gradient by its own scale, so a float difference in
    # a near-zero gradient (sums over replicas run in another order) can move a weight by much more: 2 of cGAN's
    # 7,056 first-layer weights differed by 1.6e-5 after two steps. Per-replica batch norm differs by > 1e-4.
    for w1, w2 in zip(weights1, weights2):
        np.testing.assert_allclose(w2, w1, rtol=1e-4, atol=2e-5)


def test_the_check_sees_per_replica_batch_norm(model, start, one_device, two_replicas):
    """Control: without synchronized batch norm the replicas normalise by their own halves of
    the batch, and the comparison above must catch the difference."""
    _, weights1 = one_device
    _, weights2 = train_two_steps(model, two_replicas, start, synchronized=False)
    assert max(np.abs(w1 - w2).max() for w1, w2 in zip(weights1, weights2)) > 1e-4


class AlphaPerReplica(WGANGP):
    """WGAN-GP as it was: each replica draws α for its part of the batch from its own stream."""

    def d_loss(self, real, z_alpha):
        # the batch size from z: the self-conditioned model's real batch is (images, clusters)
        z = z_alpha[0]
        return super().d_loss(real, (z, tf.random.stateless_uniform([tf.shape(z)[0]], [0, 0])))


def test_the_check_sees_alpha_drawn_per_replica(two_replicas):
    """Control: α drawn by each replica, not delivered with the batch, makes 2 replicas differ from 1."""
    keras.utils.set_random_seed(0)
    gan = AlphaPerReplica(latent_dim=8, width=4)
    start = gan.generator.get_weights(), gan.discriminator.get_weights()
    metrics1, _ = train_two_steps(AlphaPerReplica, tf.distribute.get_strategy(), start)
    metrics2, _ = train_two_steps(AlphaPerReplica, two_replicas, start)
    assert abs(metrics1[0]["gradient_penalty"] - metrics2[0]["gradient_penalty"]) > 1e-4


def test_fit_gives_each_replica_its_share_of_the_batch(two_replicas, digits, tmp_path):
    with two_replicas.scope():
        gan = CountsExamples(latent_dim=8, width=4)
    history = ganlib.fit(
        gan, digits[0], str(tmp_path), steps=2, batch_size=32, strategy=two_replicas, verbose=0
    )  # outside the scope, as the CLI calls it
    assert list(history["examples"]) == [16.0, 16.0]


@pytest.mark.parametrize("gpus, mirrored", [(0, False), (1, False), (2, True), (3, True)])
def test_auto_mirrors_over_two_or_more_gpus(monkeypatch, gpus, mirrored):
    """``get_strategy("auto")``: MirroredStrategy over every GPU when there are two or more, else the default strategy
    (the GPUs and MirroredStrategy stand in: this machine has none)."""
    from ganlib import distribute

    class Device:
        def __init__(self, name):
            self.name = name

    made = []
    monkeypatch.setattr(
        tf.config,
        "list_logical_devices",
        lambda kind=None: (
            [Device(f"/device:GPU:{i}") for i in range(gpus)] if kind == "GPU" else [Device("/device:CPU:0")]
        ),
    )
    monkeypatch.setattr(
        tf.distribute, "MirroredStrategy", lambda devices, **kw: made.append(devices) or "mirrored"
    )
    strategy = distribute.get_strategy("auto")
    assert made == ([[f"/device:GPU:{i}" for i in range(gpus)]] if mirrored else [])
    assert (strategy == "mirrored") == mirrored and (strategy is tf.distribute.get_strategy()) != mirrored
