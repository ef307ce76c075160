"""Issue 27's probe of self-conditioning (Liu et al. 2020, "Diverse Image Generation via Self-Conditioned GANs"):
an unconditional model trained as a conditional one on cluster ids of the training digits instead of their labels.

    python benchmarks/probe_self_conditioned.py "cgan-self --set clusters=10" "dcgan" --budget 170 --every 85

``cgan-self`` is ganlib's cGAN (projection discriminator, DCGAN's networks) told a cluster id, not a digit: the
ids come from k-means (k-means++ start, Lloyd's iterations, seed 0) on the training digits' pixels, computed once
before training, and the generator draws each cluster as often as it holds training digits. A simplification of
the paper, which clusters the discriminator's features and re-clusters during training. No label is used
anywhere (the metrics' classifier is trained with labels, but only to measure). Other recipes are
``time_to_quality.py``'s, trained on the same digits with their labels. Same options and printout as
``time_to_quality.py`` (``cgan-self`` has no label column: a cluster is not a digit).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import time_to_quality as ttq  # noqa: E402

from ganlib.models import MODELS, base  # noqa: E402
from ganlib.models.cgan import CGAN  # noqa: E402

CLUSTERS = {}  # k: (cluster id of each training digit, share of the training digits in each cluster)


def kmeans(x, k, iterations=30, seed=0):
    """Cluster ids (len(x),) of the rows of ``x`` by k-means: k-means++ start, then Lloyd's iterations."""
    rng = np.random.default_rng(seed)
    centres = [x[rng.integers(len(x))]]
    for _ in range(1, k):
        d = np.min([((x - c) ** 2).sum(1) for c in centres], axis=0)
        centres.append(x[rng.choice(len(x), p=d / d.sum())])
    centres = np.array(centres)
    for _ in range(iterations):
        ids = (-2 * x @ centres.T + (centres**2).sum(1)).argmin(1)
        centres = np.array([x[ids == j].mean(0) if (ids == j).any() else centres[j] for j in range(k)])
    return ids


class SelfConditioned(CGAN):
    name = "cgan-self"
    HPARAMS = CGAN.HPARAMS | {"clusters": 10}

    @property
    def classes(self):
        return self.clusters

    def sample_latent(self, n, seed):
        """[z ~ N(0, I)^64 | one-hot cluster], the cluster drawn with the share of training digits it holds."""
        share = tf.constant(np.log(CLUSTERS[self.clusters][1])[None], tf.float32)
        y = tf.random.stateless_categorical(share, n, tf.random.experimental.stateless_split(seed, 2)[1])[0]
        return self.with_labels(super().sample_latent(n, seed), y)  # cGAN's noise, this cluster

    def draw(self, n, seed=(0, 0), labels=None):
        """``n`` digits, each cluster as often as in the training digits (``labels`` ignored: clusters are no digits)."""
        return self.ema_generator(self.sample_latent(n, tf.constant(seed, tf.int64)), training=False), {}

    def grid_latent(self, seed=(2024, 11)):
        return self.sample_latent(100, tf.constant(seed, tf.int64))


MODELS[SelfConditioned.name] = SelfConditioned
base.RANGES["clusters"] = (lambda v: v >= 2, ">= 2")


def cluster_labels(gan, x, y):
    """The labels a recipe trains with: ``cgan-self``'s cluster ids (k-means, computed once a k), else the digits."""
    if not isinstance(gan, SelfConditioned):
        return y
    k = gan.clusters
    if k not in CLUSTERS:
        ids = kmeans(x.reshape(len(x), -1).astype(np.float32) / 255, k)
        CLUSTERS[k] = ids.astype(np.int32), np.bincount(ids, minlength=k) / len(ids)
        purity = sum(np.bincount(y[ids == j]).max() for j in range(k) if (ids == j).any()) / len(y)
        print(f"k-means, {k} clusters: sizes {np.bincount(ids, minlength=k).tolist()}, purity {purity:.1%}")
    return CLUSTERS[k][0]


if __name__ == "__main__":
    ttq.main(sys.argv[1:], train_labels=cluster_labels)
