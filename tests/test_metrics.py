"""Every metric on constructed cases whose answer is known in closed form."""

import numpy as np
import pytest

from ganlib import metrics

RNG = np.random.default_rng(0)


def one_hot(classes, k=10, confidence=1.0):
    p = np.full((len(classes), k), (1 - confidence) / (k - 1))
    p[np.arange(len(classes)), classes] = confidence
    return p


def test_frechet_distance_of_a_set_with_itself_is_zero():
    a = RNG.normal(size=(500, 8))
    assert metrics.frechet_distance(a, a) == pytest.approx(0, abs=1e-8)


def test_gaussian_frechet_distance_closed_form():
    # Diagonal covariances commute: d^2 = |m1 - m2|^2 + sum (sqrt(a) - sqrt(b))^2
    m1, m2 = np.array([0.0, 1.0, 2.0]), np.array([1.0, -1.0, 2.0])
    a, b = np.array([1.0, 4.0, 9.0]), np.array([4.0, 1.0, 0.25])
    expected = 1 + 4 + 0 + (1 - 2) ** 2 + (2 - 1) ** 2 + (3 - 0.5) ** 2
    assert metrics.gaussian_frechet_distance(m1, np.diag(a), m2, np.diag(b)) == pytest.approx(expected)
    # A rotated pair (non-commuting covariances): the same as scipy's general matrix square root.
    from scipy import linalg

    q, _ = np.linalg.qr(RNG.normal(size=(3, 3)))
    s1, s2 = np.diag(a), q @ np.diag(b) @ q.T
    reference = np.sum((m1 - m2) ** 2) + np.trace(s1 + s2 - 2 * np.real(linalg.sqrtm(s1 @ s2)))
    assert metrics.gaussian_frechet_distance(m1, s1, m2, s2) == pytest.approx(reference)


def test_frechet_distance_of_samples_approaches_the_closed_form():
    m1, m2 = np.zeros(2), np.array([3.0, 0.0])
    a = RNG.normal(size=(200_000, 2)) * [1.0, 2.0] + m1
    b = RNG.normal(size=(200_000, 2)) * [2.0, 2.0] + m2
    assert metrics.frechet_distance(a, b) == pytest.approx(9 + (1 - 2) ** 2 + 0, rel=0.02)


def test_frechet_distance_with_a_dead_feature_stays_real_and_finite():
    a, b = RNG.normal(size=(300, 4)), RNG.normal(size=(300, 4)) + 1
    a[:, 0] = b[:, 0] = 0  # a ReLU unit that never fires: singular covariances
    d = metrics.frechet_distance(a, b)
    assert np.isfinite(d) and d == pytest.approx(metrics.frechet_distance(a[:, 1:], b[:, 1:]), abs=1e-6)


def test_one_class_set_has_coverage_one_and_score_one():
    probs = one_hot(np.full(1000, 7))
    counts, covered, kl = metrics.class_histogram(probs)
    assert covered == 1 and counts[7] == 1000
    assert kl == pytest.approx(np.log(10))
    assert metrics.classifier_score(probs) == pytest.approx(1.0)


def test_balanced_confident_set_scores_ten():
    probs = one_hot(np.arange(1000) % 10)
    counts, covered, kl = metrics.class_histogram(probs)
    assert covered == 10 and kl == pytest.approx(0, abs=1e-12)
    assert metrics.classifier_score(probs) == pytest.approx(10, rel=1e-6)


def test_unsure_predictions_lower_the_score():
    # Uniform p(y|x) carries no information: KL(p(y|x) || p(y)) = 0, score 1, whatever the spread.
    assert metrics.classifier_score(np.full((100, 10), 0.1)) == pytest.approx(1.0)
    assert 1 < metrics.classifier_score(one_hot(np.arange(1000) % 10, confidence=0.5)) < 10


def test_coverage_counts_only_classes_with_a_tenth_of_their_share():
    classes = np.concatenate(
        [np.zeros(951, int), np.ones(40, int), np.full(9, 2)]
    )  # fair share 100: 40 counts, 9 not
    assert metrics.class_histogram(one_hot(classes))[1] == 2


def test_precision_recall_of_a_set_with_itself_is_one():
    a = RNG.normal(size=(400, 16))
    assert metrics.precision_recall(a, a) == (1.0, 1.0)


def test_precision_recall_of_far_apart_sets_is_zero():
    a = RNG.normal(size=(300, 16))
    assert metrics.precision_recall(a, a + 100) == (0.0, 0.0)


def test_precision_recall_of_a_collapsed_generator():
    # The fake set covers one of two real clusters: every fake is realistic (precision ~1), but
    # at most the half of the real set in that cluster is reproduced (recall <= 1/2; k-NN balls
    # of 300 points in 4-D cover about 90% of their own distribution).
    real = np.concatenate([RNG.normal(size=(300, 4)), RNG.normal(size=(300, 4)) + 50])
    fake = RNG.normal(size=(300, 4))
    precision, recall = metrics.precision_recall(real, fake)
    assert precision > 0.9 and 0.4 < recall <= 0.5


def test_bad_shapes_are_refused():
    with pytest.raises(ValueError, match=r"\(N, D\)"):
        metrics.frechet_distance(np.zeros(5), np.zeros((5, 2)))
    with pytest.raises(ValueError, match="more than k = 3"):
        metrics.precision_recall(np.zeros((3, 2)), np.zeros((10, 2)))
