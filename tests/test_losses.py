import math

import numpy as np
import tensorflow as tf

from ganlib import losses


def logit(p):
    return math.log(p / (1 - p))


def test_d_loss_matches_hand_computed_values():
    # D(x) = 0.75 on the real example and D(G(z)) = 0.25 on the fake one:
    # -log 0.75 - log(1 - 0.25) = -2 log 0.75
    real = tf.constant([[logit(0.75)], [0.0]])
    fake = tf.constant([[logit(0.25)], [0.0]])
    got = losses.gan_d_loss(real, fake).numpy()
    np.testing.assert_allclose(got, [-2 * math.log(0.75), 2 * math.log(2)], rtol=1e-6)


def test_g_loss_is_non_saturating():
    # -log D(G(z)): log 2 at D = 1/2, -log 0.1 at D = 0.1, and large (not ~0) when D rejects the fake.
    fake = tf.constant([0.0, logit(0.1), -20.0])
    got = losses.gan_g_loss(fake).numpy()
    np.testing.assert_allclose(got, [math.log(2), -math.log(0.1), 20.0], rtol=1e-5)


def test_losses_are_per_example_and_stable_for_large_logits():
    fake = tf.constant([[-1000.0], [1000.0], [0.0]])
    got = losses.gan_g_loss(fake).numpy()
    assert got.shape == (3,)
    assert np.all(np.isfinite(got))
    np.testing.assert_allclose(got[:2], [1000.0, 0.0], atol=1e-4)


def test_gaussian_kl_against_hand_computed_values():
    # KL(N(mu, s^2) || N(0, 1)) = (s^2 + mu^2 - 1 - log s^2) / 2, summed over dimensions
    mean = tf.constant([[0.0, 0.0], [1.0, -2.0]])
    log_var = tf.constant([[0.0, 0.0], [np.log(4.0), 0.0]], tf.float32)
    expected = [0.0, (4 + 1 - 1 - np.log(4)) / 2 + (1 + 4 - 1 - 0) / 2]
    np.testing.assert_allclose(losses.gaussian_kl(mean, log_var), expected, rtol=1e-6)


def test_bernoulli_nll_sums_pixels_per_example():
    x = tf.constant([[[0.0, 1.0]], [[1.0, 1.0]]])  # two 1x2 "images"
    logits = tf.constant([[[0.0, 0.0]], [[np.log(3.0), 0.0]]], tf.float32)  # sigma = 1/2, 1/2 | 3/4, 1/2
    expected = [2 * np.log(2), -np.log(0.75) + np.log(2)]
    np.testing.assert_allclose(losses.bernoulli_nll(x, logits), expected, rtol=1e-6)
