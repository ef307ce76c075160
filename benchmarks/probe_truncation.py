"""Issue 27's probe of the truncation trick: precision for recall at sampling time, with no change to training.

    python benchmarks/probe_truncation.py "lsgan" "wgan-gp" --steps --budget 0 --every 0 \
        --levels none t2 t1.5 t1 s0.8 s0.6

Each RECIPE trains as in ``time_to_quality.py`` (same options and clock); at each evaluation the trained generator
is evaluated once a LEVEL, its noise drawn otherwise each time:

    none   z ~ N(0, I), as trained (what ``ganlib evaluate`` measures)
    tT     the truncation trick (Brock et al. 2019, BigGAN): each of z's entries from N(0, 1) truncated to [-T, T]
           (exactly, through the inverse normal CDF)
    sP     a reduced temperature (Kingma & Dhariwal 2018, Glow; StyleGAN's truncation towards the mean latent,
           Karras et al. 2019, which for z ~ N(0, I) is 0): z scaled by P
    dF     the discriminator as a filter (after discriminator rejection sampling, Azadi et al. 2019, in its simplest
           form): draw n / F digits, keep the n that the trained discriminator scores most real (its batch norm on
           batches of 64 fakes, as in training)

Kynkäänniemi et al. 2019 (the precision/recall used here) show the trade on StyleGAN: truncation raises precision and
lowers recall. Only for models whose noise is N(0, I) (not InfoGAN's uniform noise, nor the conditional models'
label; a self-conditioned model's cluster is kept, its noise truncated or scaled). ``--every 0``: evaluate only at the end of the budget.
"""

import argparse
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import probe_self_conditioned  # noqa: E402, F401 (its recipes: wgan-self, ...)
import tensorflow as tf  # noqa: E402
import time_to_quality as ttq  # noqa: E402

import ganlib  # noqa: E402
from ganlib import classifier, evaluate  # noqa: E402


def truncated(level):
    """A latent sampler ``(gan, n, seed) -> z`` for ``level`` (see the module's docstring); None: the model's own."""
    if level == "none" or level[0] == "d":
        return None
    if level[0] == "s":
        scale = lambda gan, z, seed: float(level[1:]) * z  # noqa: E731
    elif level[0] == "t":
        edge = 0.5 * math.erfc(float(level[1:]) / math.sqrt(2))  # Phi(-T)
        scale = lambda gan, z, seed: tf.math.ndtri(  # noqa: E731
            tf.random.stateless_uniform(tf.shape(z), seed, edge, 1.0 - edge)
        )
    else:
        raise SystemExit(f"unknown level {level!r}: none, tT (e.g. t1.5), sP (e.g. s0.7) or dF (e.g. d0.5)")

    def sample(
        gan, n, seed
    ):  # the noise, the first latent_dim values (a self-conditioned model's cluster follows)
        z = type(gan).sample_latent(gan, n, seed)
        return tf.concat([scale(gan, z[:, : gan.latent_dim], seed), z[:, gan.latent_dim :]], axis=1)

    return sample


def filtered(gan, keep, batch=64):
    """``gan.draw`` that draws ``n / keep`` digits (as the model's own ``draw``) and returns the ``n`` its discriminator
    scores most real (a self-conditioned model's, each digit with the cluster it was drawn for)."""

    def draw(n, seed=(0, 0), labels=None):
        z = type(gan).sample_latent(gan, math.ceil(n / keep), tf.constant(seed, tf.int64))
        images = gan.ema_generator(z, training=False)
        told = (
            (lambda i: [images[i : i + batch], gan.cluster_of(z[i : i + batch])])
            if getattr(gan, "clusters", 0)
            else (lambda i: images[i : i + batch])
        )  # noqa: E731
        scores = tf.concat(
            [
                tf.reshape(gan.discriminator(told(i), training=True), [-1])
                for i in range(0, len(images), batch)
            ],
            axis=0,
        )
        return tf.gather(images, tf.math.top_k(scores, n).indices), {}

    return draw


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("recipes", nargs="+", metavar="RECIPE")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument(
        "--budget", type=float, default=0.0, help="seconds (steps with --steps; 0: the default)"
    )
    parser.add_argument("--every", type=float, default=0.0, help="between evaluations (0: at the end only)")
    parser.add_argument("--steps", action="store_true")
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--levels", nargs="+", default=["none", "t2", "t1.5", "t1", "s0.8", "s0.6"])
    args = parser.parse_args(argv)
    samplers = {level: truncated(level) for level in args.levels}
    (x, y), (xt, yt) = ganlib.load_mnist()
    model = classifier.get_classifier(x, y)
    reference = evaluate.embed_reference(model, xt)

    def measure(gan):
        rows = {}
        for level, sample in samplers.items():
            patch = {"sample_latent": lambda n, seed, sample=sample: sample(gan, n, seed)} if sample else {}
            if level[0] == "d":
                patch["draw"] = filtered(gan, float(level[1:]))
            gan.__dict__.update(patch)  # this level's sampler, over the model's (training's) own
            try:
                rows[level] = evaluate.evaluate_model(gan, model, reference, args.n)
            finally:
                for name in patch:
                    del gan.__dict__[name]
        return {"levels": rows}

    print(
        f"{'recipe (seed)':28s} {'level':>6s} {'seconds':>7s} {'steps':>6s} {'FCD':>8s} {'classes':>7s} "
        f"{'precision':>9s} {'recall':>6s}"
    )
    for recipe in args.recipes:
        for seed in args.seeds:

            def report(row, name=f"{recipe} ({seed})"):
                for level, r in row["levels"].items():
                    print(
                        f"{name:28s} {level:>6s} {row['seconds']:7.1f} {row['steps']:6d} {r['fcd']:8.2f} "
                        f"{r['classes']:7d} {r['precision']:9.3f} {r['recall']:6.3f}",
                        flush=True,
                    )

            budget = args.budget or (0 if args.steps else 150.0)
            ttq.curve(recipe, seed, x, budget, args.every or float("inf"), measure, report, y, args.steps)


if __name__ == "__main__":
    main()
