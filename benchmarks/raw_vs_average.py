"""The raw generator beside its moving average along a run, and optionally their grids: how a run starts.

    python benchmarks/raw_vs_average.py "dcgan" --steps 1000 --every 250 [--seed 0] [--grid start.png]

RECIPE is what follows ``python -m ganlib train`` (the probe variants of ``probe_dcgan_variants.py`` too). Every
``--every`` steps it prints FCD, precision, recall and classes of 5,000 digits of each generator (``ganlib
evaluate``'s measures), and with ``--grid`` it saves 64 digits of each at every evaluation in one picture.
"""

import argparse
import os
import sys

import numpy as np
import tensorflow as tf

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import probe_dcgan_variants  # noqa: E402,F401  (registers the probe variants)
import time_to_quality  # noqa: E402

import ganlib  # noqa: E402
from ganlib import classifier, evaluate  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("recipe")
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--every", type=int, default=250)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--grid", help="a PNG of 64 digits of each generator at every evaluation")
    args = parser.parse_args(argv)
    (x, y), (xt, _) = ganlib.load_mnist()
    model = classifier.get_classifier(x, y)
    reference = evaluate.embed_reference(model, xt)
    z = None

    def measure(gan):
        nonlocal z
        z = gan.sample_latent(5000, tf.constant((1, 0), tf.int64)) if z is None else z
        out = {}
        for name, g in (("raw", gan.generator), ("average", gan.ema_generator)):
            images = np.concatenate(
                [g(z[i : i + 1000], training=False).numpy() for i in range(0, 5000, 1000)]
            )
            out[name] = (evaluate.measure(model, images, reference), images[:64])
        return out

    rows = []

    def report(row):
        rows.append(row)
        text = " | ".join(
            f"{name} FCD {m['fcd']:7.2f} precision {m['precision']:.3f} recall {m['recall']:.3f} classes {m['classes']}"
            for name, (m, _) in ((k, row[k]) for k in ("raw", "average"))
        )
        print(f"{row['steps']:6d} steps {row['seconds']:6.1f} s  {text}", flush=True)

    time_to_quality.curve(
        args.recipe, args.seed, x, args.steps, args.every, measure, report, y, steps_budget=True
    )
    if args.grid:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, axes = plt.subplots(2, len(rows), figsize=(3 * len(rows), 6), squeeze=False)
        for j, row in enumerate(rows):
            for i, name in enumerate(("raw", "average")):
                tiles = row[name][1][:, :, :, 0].reshape(8, 8, 28, 28).transpose(0, 2, 1, 3).reshape(224, 224)
                axes[i, j].imshow(tiles, cmap="gray", vmin=-1, vmax=1)
                axes[i, j].set_title(f"{name}, {row['steps']} steps")
                axes[i, j].axis("off")
        fig.savefig(args.grid, dpi=60, bbox_inches="tight")


if __name__ == "__main__":
    main()
