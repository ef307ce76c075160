r"""Numbers for generated digits. Pure functions of arrays: features and softmax outputs of
the project's MNIST classifier (``ganlib.classifier``), and InfoGAN's codes.

    frechet_distance     $\|\mu_1 - \mu_2\|^2 + \operatorname{tr}(\Sigma_1 + \Sigma_2 - 2(\Sigma_1\Sigma_2)^{1/2})$ of two feature sets
    classifier_score     the Inception score's analogue, $\exp \mathbb{E}_x \mathrm{KL}(p(y \mid x) \,\|\, p(y))$, 1 to 10
    class_histogram      predicted classes: counts, classes covered, KL to uniform
    precision_recall     Kynkäänniemi et al. (2019): k-NN balls around each set's features
    code_accuracy        an unsupervised code as a classifier (Hungarian method)
"""

import numpy as np
from scipy.optimize import linear_sum_assignment


def _matrix(x, name):
    x = np.asarray(x, np.float64)
    if x.ndim != 2 or len(x) < 2:
        raise ValueError(f"{name} must be (N, D) with N >= 2, got shape {x.shape}")
    return x


def gaussian_frechet_distance(mu1, sigma1, mu2, sigma2):
    r"""$d^2 = \|\mu_1 - \mu_2\|^2 + \operatorname{tr}\big(\Sigma_1 + \Sigma_2 - 2 (\Sigma_1 \Sigma_2)^{1/2}\big)$,
    the squared Fréchet (2-Wasserstein) distance between two Gaussians."""
    # tr (S1 S2)^{1/2} = tr (S1^{1/2} S2 S1^{1/2})^{1/2}: a symmetric PSD matrix, so its eigenvalues are
    # real and >= 0 up to round-off, even when features with zero variance make S1 or S2 singular.
    root1 = _psd_sqrt(sigma1)
    eig = np.linalg.eigvalsh(root1 @ sigma2 @ root1)
    d = (
        np.sum((mu1 - mu2) ** 2)
        + np.trace(sigma1)
        + np.trace(sigma2)
        - 2 * np.sum(np.sqrt(np.maximum(eig, 0)))
    )
    return max(float(d), 0.0)  # round-off can leave -1e-6 for identical sets


def _psd_sqrt(sigma):
    w, v = np.linalg.eigh(sigma)
    return (v * np.sqrt(np.maximum(w, 0))) @ v.T


def frechet_distance(a, b):
    """Fréchet distance between Gaussians fitted to feature sets ``a`` (N, D) and ``b`` (M, D)."""
    a, b = _matrix(a, "a"), _matrix(b, "b")
    return gaussian_frechet_distance(a.mean(0), np.cov(a, rowvar=False), b.mean(0), np.cov(b, rowvar=False))


def classifier_score(probs, eps=1e-12):
    r"""$\exp\big(\mathbb{E}_x\, \mathrm{KL}(p(y \mid x) \,\|\, p(y))\big)$ with $p(y) = \mathbb{E}_x\, p(y \mid x)$:
    1 if every sample gets the same prediction, the number of classes (10) if predictions are
    confident and spread evenly. ``probs`` is (N, classes) softmax output."""
    p = _matrix(probs, "probs")
    marginal = p.mean(0, keepdims=True)
    kl = np.sum(p * (np.log(p + eps) - np.log(marginal + eps)), axis=1)
    return float(np.exp(kl.mean()))


def class_histogram(probs, min_share=0.1):
    r"""Predicted classes of (N, classes) ``probs``: ``(counts, covered, kl_uniform)``.

    A class is *covered* if it gets at least ``min_share`` of its fair share ($N/10$).
    ``kl_uniform`` $= \sum_k h_k \log(K h_k)$, the KL divergence of the class frequencies $h$ from
    uniform: 0 for a balanced set, $\log 10 \approx 2.30$ for a single class (mode collapse)."""
    p = _matrix(probs, "probs")
    k = p.shape[1]
    counts = np.bincount(p.argmax(1), minlength=k)
    h = counts / counts.sum()
    covered = int(np.sum(counts >= min_share * len(p) / k))
    kl = float(np.sum(h[h > 0] * np.log(k * h[h > 0])))
    return counts, covered, kl


def _knn_radius(x, k, chunk):
    """Distance from each row of ``x`` to its k-th nearest other row."""
    radii = np.empty(len(x))
    for i in range(0, len(x), chunk):
        d = _distances(x[i : i + chunk], x)
        radii[i : i + chunk] = np.partition(d, k, axis=1)[:, k]  # index 0 is the point itself
    return radii


def _distances(a, b):
    d2 = np.sum(a**2, 1)[:, None] + np.sum(b**2, 1)[None, :] - 2 * a @ b.T
    return np.sqrt(np.maximum(d2, 0))


def _coverage(points, centres, radii, chunk):
    """Share of ``points`` inside at least one ball (centre, radius)."""
    inside = np.zeros(len(points), bool)
    for i in range(0, len(points), chunk):
        inside[i : i + chunk] = np.any(_distances(points[i : i + chunk], centres) <= radii[None, :], axis=1)
    return float(inside.mean())


def precision_recall(real, fake, k=3, chunk=1000):
    """Improved precision and recall (Kynkäänniemi et al. 2019) of feature sets (N, D).

    Each set's manifold is the union of balls around its points, radius = distance to the
    k-th nearest neighbour in the same set. Precision: share of ``fake`` inside the real
    manifold (quality). Recall: share of ``real`` inside the fake manifold (coverage).
    """
    real, fake = _matrix(real, "real"), _matrix(fake, "fake")
    if min(len(real), len(fake)) <= k:
        raise ValueError(f"need more than k = {k} points in each set, got {len(real)} and {len(fake)}")
    precision = _coverage(fake, real, _knn_radius(real, k, chunk), chunk)
    recall = _coverage(real, fake, _knn_radius(fake, k, chunk), chunk)
    return precision, recall


def code_accuracy(codes, labels, k=10):
    """Accuracy of unsupervised cluster codes as a classifier, under the best one-to-one mapping
    of codes to labels (the Hungarian method on the k x k confusion matrix).

    Returns ``(accuracy, mapping)`` with ``mapping[code] = label``.
    """
    matrix = confusion(codes, labels, k)
    rows, cols = linear_sum_assignment(matrix, maximize=True)
    return matrix[rows, cols].sum() / matrix.sum(), dict(zip(rows.tolist(), cols.tolist()))


def confusion(codes, labels, k=10):
    """The k x k matrix of counts: row = code, column = label."""
    codes, labels = np.asarray(codes, np.int64), np.asarray(labels, np.int64)
    if codes.shape != labels.shape or codes.ndim != 1:
        raise ValueError(f"codes {codes.shape} and labels {labels.shape} must be equal-length vectors")
    matrix = np.zeros((k, k), np.int64)
    np.add.at(matrix, (codes, labels), 1)
    return matrix
