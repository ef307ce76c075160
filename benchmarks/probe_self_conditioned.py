"""Issue 27's probe of self-conditioning (Liu et al. 2020, "Diverse Image Generation via Self-Conditioned GANs"):
an unconditional model trained as a conditional one on cluster ids of the training digits instead of their labels.

    python benchmarks/probe_self_conditioned.py "cgan-self --set clusters=10" "dcgan" --budget 170 --every 85

``cgan-self`` is ganlib's cGAN (projection discriminator, DCGAN's networks) told a cluster id, not a digit: the
ids come from k-means (k-means++ start, Lloyd's iterations, seed 0) on the training digits' pixels, computed once
before training, and the generator draws each cluster as often as it holds training digits. A simplification of
the paper, which clusters the discriminator's features and re-clusters during training. No label is used
anywhere (the metrics' classifier is trained with labels, but only to measure). Other recipes are
``time_to_quality.py``'s, trained on the same digits with their labels. Same printout as ``time_to_quality.py``
(the conditional model's label column is left out: a cluster is not a digit).
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

import ganlib  # noqa: E402
import time_to_quality as ttq  # noqa: E402
from ganlib import classifier, evaluate, smoke  # noqa: E402
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
        s = tf.random.experimental.stateless_split(seed, 2)
        share = tf.constant(np.log(CLUSTERS[self.clusters][1])[None], tf.float32)
        y = tf.random.stateless_categorical(share, n, s[1])[0]
        return tf.concat(
            [tf.random.stateless_normal((n, self.noise_dim), s[0]), tf.one_hot(y, self.classes)], axis=1
        )

    def draw(self, n, seed=(0, 0), labels=None):
        """``n`` digits, each cluster as often as in the training digits (``labels`` ignored: clusters are no digits)."""
        return self.ema_generator(self.sample_latent(n, tf.constant(seed, tf.int64)), training=False), {}

    def grid_latent(self, seed=(2024, 11)):
        return self.sample_latent(100, tf.constant(seed, tf.int64))


MODELS[SelfConditioned.name] = SelfConditioned
base.RANGES["clusters"] = (lambda v: v >= 2, ">= 2")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("recipes", nargs="+", metavar="RECIPE")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--budget", type=float, default=150.0)
    parser.add_argument("--every", type=float, default=30.0)
    parser.add_argument("--steps", action="store_true")
    parser.add_argument("--n", type=int, default=5000)
    args = parser.parse_args(argv)
    (x, y), (xt, yt) = ganlib.load_mnist()
    model = classifier.get_classifier(x, y)
    reference = evaluate.embed_reference(model, xt)
    n = min(args.n, smoke.IMAGES) if smoke.enabled() else args.n
    flat = x.reshape(len(x), -1).astype(np.float32) / 255
    print(f"{n} digits an evaluation against {len(xt)} test digits; {len(x)} training digits")
    finals = {}
    for recipe in args.recipes:
        gan, _ = ttq.cli.build(ttq.parse(recipe))
        labels = y
        if isinstance(gan, SelfConditioned):
            k = gan.clusters
            if k not in CLUSTERS:
                ids = kmeans(flat, k)
                CLUSTERS[k] = ids, np.bincount(ids, minlength=k) / len(ids)
                purity = sum(np.bincount(y[ids == j]).max() for j in range(k) if (ids == j).any()) / len(y)
                print(f"k-means, {k} clusters: sizes {np.bincount(ids, minlength=k).tolist()}, purity {purity:.1%}")
            labels = CLUSTERS[k][0].astype(np.int32)
        for seed in args.seeds:
            rows = []

            def report(row, name=f"{recipe} ({seed})"):
                row = {k: v for k, v in row.items() if k != "label_accuracy"}
                rows.append(row)
                print(ttq.line(name, row), flush=True)

            ttq.curve(recipe, seed, x, args.budget, args.every, lambda g: evaluate.evaluate_model(g, model, reference, n, (xt, yt)), report, labels, args.steps)
            if rows:
                finals.setdefault(recipe, []).append(rows[-1])
    print(f"\nfinal evaluation, mean over seeds {args.seeds}")
    for recipe, rows in finals.items():
        s = ttq.summary(rows)
        print(
            f"{recipe:44s} {s['seconds'][0]:6.1f} s, {s['steps'][0]:6.0f} steps, FCD {s['fcd'][0]:7.2f}, "
            f"precision {s['precision'][0]:.3f}, recall {s['recall'][0]:.3f}, classes {s['classes'][2]:.0f}"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
