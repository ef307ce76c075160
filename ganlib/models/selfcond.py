"""Self-conditioning (Liu et al. 2020, "Diverse Image Generation via Self-Conditioned GANs"), simplified.

An unconditional model trained as a conditional one, on clusters of the training digits instead of their labels:
before training, k-means (k-means++ start, 30 Lloyd iterations, seed 0) splits the training digits' pixels into
``clusters`` groups; the generator's latent is ``[z | one-hot cluster]``, the cluster drawn as often as it holds
training digits; the discriminator is a projection discriminator (Miyato & Koyama 2018, cgan.py's) that scores
each real digit with its cluster and each fake with the cluster it was drawn for. No label is used. The paper
clusters the discriminator's features and re-clusters during training; pixels, once, are this simplification's.

A mixin: ``class LSGAN(SelfConditioned, DCGAN)`` with a ``clusters`` hyperparameter (0: off, the model's own
networks and latent) and a sampling ``temperature`` (1: as trained; ``draw``). Its losses read D's scores through ``real_scores`` and ``fake_scores``, which pass the
clusters when there are any. ``real_labels`` (what ``fit`` pairs each training image with) runs the k-means and
keeps the clusters' sizes (``cluster_sizes``), which ``run.json`` records so that a loaded run draws as trained.
"""

import numpy as np
import tensorflow as tf

from ganlib.errors import GanlibError
from ganlib.models import cgan, dcgan


def kmeans(x, k, iterations=30, seed=0):
    """Cluster ids (len(x),) of the rows of ``x`` by k-means: a k-means++ start, then Lloyd's iterations."""
    rng = np.random.default_rng(seed)
    centres = [x[rng.integers(len(x))]]
    d = ((x - centres[0]) ** 2).sum(1)  # each row's squared distance to its nearest centre so far
    for _ in range(1, k):
        centres.append(x[rng.choice(len(x), p=d / d.sum())])
        d = np.minimum(d, ((x - centres[-1]) ** 2).sum(1))
    centres = np.array(centres)
    for _ in range(iterations):
        ids = (-2 * x @ centres.T + (centres**2).sum(1)).argmin(1)
        centres = np.array([x[ids == j].mean(0) if (ids == j).any() else centres[j] for j in range(k)])
    return ids


class SelfConditioned:
    cluster_sizes = None  # training digits in each cluster (set by real_labels, or from run.json); None: not yet

    # networks
    def build_generator(self):
        if not self.clusters:
            return super().build_generator()
        return dcgan.build_generator(self.latent_dim + self.clusters, self.width)

    def build_discriminator(self):
        if not self.clusters:
            return super().build_discriminator()
        if getattr(self, "d_hidden", 0):
            raise GanlibError(
                f"{self.name}: the self-conditioned discriminator (clusters={self.clusters}) has no dense layer: "
                "--set d_hidden=0, or --set clusters=0 for the unconditional one."
            )
        return cgan.build_discriminator(self.width, self.clusters)

    # the clusters
    def real_labels(self, images, labels):
        """Each training image's cluster (k-means on its pixels), kept as the clusters' sizes; None without clusters."""
        if not self.clusters:
            return super().real_labels(images, labels)
        if self.clusters > len(images):
            raise GanlibError(f"{self.name}: {self.clusters} clusters need at least as many training images, not {len(images)}.")
        ids = kmeans(np.reshape(images, (len(images), -1)).astype(np.float32) / 255, self.clusters)
        self.cluster_sizes = np.bincount(ids, minlength=self.clusters).tolist()
        return ids.astype(np.int32)

    # latent
    def sample_latent(self, n, seed):
        """[z ~ N(0, I) | one-hot cluster], each cluster as often as it holds training digits (every cluster equally
        often before the model has seen them), a pure function of ``seed``."""
        if not self.clusters:
            return super().sample_latent(n, seed)
        s = tf.random.experimental.stateless_split(seed, 2)
        sizes = np.ones(self.clusters) if self.cluster_sizes is None else np.array(self.cluster_sizes, float)
        with np.errstate(divide="ignore"):  # an empty cluster: log 0 = -inf, never drawn
            logits = tf.constant(np.log(sizes / sizes.sum())[None], tf.float32)
        cluster = tf.random.stateless_categorical(logits, n, s[1])[0]
        noise = tf.random.stateless_normal((n, self.latent_dim), s[0])
        return tf.concat([noise, tf.one_hot(cluster, self.clusters)], axis=1)

    # what the model draws
    def draw(self, n, seed=(0, 0), labels=None):
        """``GAN.draw`` at a reduced temperature: the noise z scaled by ``temperature`` (Kingma & Dhariwal 2018, Glow;
        Karras et al. 2019's truncation towards the mean latent, which is 0 here), the cluster kept. Fewer digits off
        the manifold, at some cost in variety; 1 draws as trained. Training and the progress grids use z as drawn."""
        if self.temperature == 1 or not (labels is None or isinstance(labels, str) and labels == "all"):
            return super().draw(n, seed, labels)  # as trained (and GAN.draw refuses a digit to draw)
        z = self.sample_latent(n, tf.constant(seed, tf.int64))
        z = tf.concat([self.temperature * z[:, : self.latent_dim], z[:, self.latent_dim :]], axis=1)
        return self.ema_generator(z, training=False), self.conditions(z)

    def cluster_of(self, z):
        return tf.argmax(z[:, self.latent_dim :], axis=1, output_type=tf.int32)

    # D's scores, with the clusters when there are any
    def real_scores(self, real):
        """D's scores of a real batch (``(images, clusters)`` when self-conditioned)."""
        return self.discriminator(list(real) if self.clusters else real, training=True)

    def fake_scores(self, fake, z):
        """D's scores of the fakes ``G(z)``, each with the cluster ``z`` drew."""
        return self.discriminator([fake, self.cluster_of(z)] if self.clusters else fake, training=True)
