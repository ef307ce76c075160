"""How often does the default DCGAN train well? Five seeds, each measured like `ganlib evaluate`.

    python benchmarks/stability.py [--seeds 0 1 2 3 4] [--model dcgan] [--root runs/stability]

Trains ``python -m ganlib train MODEL --seed S`` for each seed (a finished run in ROOT/seed-S is
reused), then prints every run's metrics beside the real-data floor, the spread of each metric,
and how many runs reach the quality bar: all ten classes covered and at least half of the digits
classified with confidence >= 0.9 (recognisable) by the project's classifier.
"""

import argparse
import os
import subprocess
import sys

import numpy as np

import ganlib
from ganlib import classifier, evaluate


def passes(m):
    return m["classes"] == 10 and m["confident"] >= 0.5


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--model", default="dcgan")
    parser.add_argument("--root", default=os.path.join("runs", "stability"))
    args = parser.parse_args()
    for seed in args.seeds:
        out = os.path.join(args.root, args.model, f"seed-{seed}")
        if not os.path.exists(os.path.join(out, "generator.keras")):
            command = [sys.executable, "-m", "ganlib", "train", args.model, "--seed", str(seed), "--out", out]
            command += ["--resume"] if os.path.exists(os.path.join(out, "run.json")) else []
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    (x, y), (xt, yt) = ganlib.load_mnist()
    runs = {
        f"{args.model} seed {seed}": os.path.join(args.root, args.model, f"seed-{seed}")
        for seed in args.seeds
    }
    rows = evaluate.compare(classifier.get_classifier(x, y), x, (xt, yt), runs)
    print(
        f"{args.model} at its default budget, {len(args.seeds)} seeds; {evaluate.sample_size(x)} digits a row against {len(xt)} test digits"
    )
    print(evaluate.table(rows))
    results = [r for name, r in rows.items() if name in runs]
    for key in ("fcd", "score", "confident", "precision", "recall"):
        v = np.array([r[key] for r in results])
        print(
            f"{key:10s} mean {v.mean():8.3f}  sd {v.std(ddof=1) if len(v) > 1 else 0:7.3f}  min {v.min():8.3f}  max {v.max():8.3f}"
        )
    print(
        f"quality bar (10/10 classes covered, >= 50% confident): {sum(passes(r) for r in results)} of {len(results)} runs"
    )


if __name__ == "__main__":
    main()
