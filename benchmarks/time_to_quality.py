"""Time to quality: what a training recipe draws after so many seconds of training.

    python benchmarks/time_to_quality.py "dcgan" "dcgan --set g_lr=1e-3" [--seeds 0 1 2]
        [--budget 150] [--every 30] [--n 5000] [--steps] [--grids DIR]

Each RECIPE is what follows ``python -m ganlib train`` (a model name and any of its options:
``--set NAME=VALUE``, ``--batch-size``, ``--jit``, ...). Each recipe is trained once a seed, in this
process, by ``ganlib.fit`` itself (the compiled multi-step loop on the real input pipeline, keeping no run
directory; its ``on_call`` hook is the clock), and evaluated every ``--every`` seconds of *training* time up to ``--budget``: the clock
stops while it evaluates. Evaluation is ``ganlib evaluate``'s: ``--n`` digits from the generator (its
moving average where the recipe keeps one) against the 10,000 test digits, through the project's
classifier; for InfoGAN also the code accuracies (code/test: Q's code of the 10,000 test digits against
their labels; code/fake: the code of the generated digits against the classifier's label; both under
the best one-to-one mapping of codes to digits); for conditional models the label accuracy (the share of
digits, equally many of each asked for, that the classifier reads as the digit asked for). Prints a row an evaluation and, last, each recipe's final row over its seeds
(mean, and sd across seeds when there are several). ``--grids DIR``: each evaluation's progress grid (the
model's 100 grid latents through the generator it draws with) saved as ``DIR/RECIPE (SEED) STEPS.png``, to look at.
"""

import argparse
import os
import shlex

import numpy as np

import ganlib
from ganlib import classifier, cli, evaluate, plots, smoke

CALL = 25  # steps a call between looks at the clock


def parse(recipe):
    """The ``python -m ganlib train`` arguments of ``recipe``."""
    return cli.parse(["train", *shlex.split(recipe)])


def curve(recipe, seed, x, budget, every, measure, report, y=None, steps_budget=False):
    """Train ``recipe`` with ``seed`` for ``budget`` seconds (steps, with ``steps_budget``; 0: the model's default
    steps), and ``report(row)`` ``measure(gan)`` every ``every`` seconds (steps) and at the end. A clock around
    ``ganlib.fit`` (the real loop, keeping no run directory): it counts the seconds of fit's compiled calls only,
    so it stops while it evaluates, and sizes the calls to stop at each evaluation and at the budget."""
    args = parse(f"{recipe} --seed {seed}")
    gan, strategy = cli.build(args)  # the initial weights of `python -m ganlib train RECIPE --seed SEED`
    if steps_budget:
        budget = int(budget or args.steps or gan.default_steps)
    clock = {"seconds": 0.0, "due": every}

    def on_call(call):
        clock["seconds"] += call.ready - call.started
        now = call.step if steps_budget else clock["seconds"]
        if call.rows and (now >= clock["due"] or now >= budget):
            report({"seconds": clock["seconds"], "steps": call.step, **measure(gan)})
            clock["due"] += every
        if now >= budget:
            return 0
        return int(max(1, min(clock["due"], budget) - call.step)) if steps_budget else CALL

    try:
        ganlib.fit(
            gan,
            x,
            None,
            steps=budget if steps_budget else 10**9,
            batch_size=args.batch_size,
            seed=seed,
            strategy=strategy,
            verbose=0,
            jit=args.jit,
            labels=y,
            on_call=on_call,
        )
    except ganlib.GanlibError as e:  # a loss that became NaN
        print(f"{recipe} (seed {seed}): {e}")


def summary(rows):
    """Mean (and sd across seeds) of the final rows' numbers."""
    out = {}
    for k in ("seconds", "steps", "fcd", "score", "confident", "classes", "precision", "recall", *CODES):
        v = np.array([r[k] for r in rows if k in r], dtype=np.float64)
        if len(v):
            out[k] = (v.mean(), v.std(ddof=1) if len(v) > 1 else None, v.min())
    return out


# InfoGAN: Q on the test digits, the code of the generated ones; conditional models: the digit asked for
CODES = {"code_accuracy": "code/test", "generated_code_accuracy": "code/fake", "label_accuracy": "label"}


def line(name, r):
    code = "".join(f" {CODES[k]} {r[k]:.1%}" for k in CODES if k in r)
    return (
        f"{name:44s} {r['seconds']:7.1f} {r['steps']:6d} {r['fcd']:8.2f} {r['score']:6.2f} "
        f"{r['confident']:9.1%} {r['classes']:7d} {r['precision']:9.3f} {r['recall']:6.3f}{code}"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("recipes", nargs="+", metavar="RECIPE", help='e.g. "dcgan --set g_lr=1e-3"')
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--budget", type=float, default=150.0, help="seconds of training (default 150)")
    parser.add_argument(
        "--every", type=float, default=30.0, help="seconds of training between evaluations (default 30)"
    )
    parser.add_argument(
        "--steps",
        action="store_true",
        help="--budget and --every count steps (--budget 0: the model's default)",
    )
    parser.add_argument("--n", type=int, default=5000, help="generated digits an evaluation (default 5000)")
    parser.add_argument("--grids", metavar="DIR", help="save each evaluation's progress grid in DIR")
    args = parser.parse_args(argv)
    for recipe in args.recipes:
        parse(recipe)  # a bad recipe fails before anything trains
    (x, y), (xt, yt) = ganlib.load_mnist()
    model = classifier.get_classifier(x, y)
    reference = evaluate.embed_reference(model, xt)
    n = min(args.n, smoke.IMAGES) if smoke.enabled() else args.n

    def measure(gan):
        grid = {"grid": gan.ema_generator(gan.grid_latent(), training=False)} if args.grids else {}
        return evaluate.evaluate_model(gan, model, reference, n, (xt, yt)) | grid

    print(
        f"{n} digits an evaluation against {len(xt)} test digits; {len(x)} training digits; seconds of training "
        "(evaluation excluded)"
    )
    header = f"{'recipe (seed)':44s} {'seconds':>7s} {'steps':>6s} {'FCD':>8s} {'score':>6s} {'confident':>9s} {'classes':>7s} {'precision':>9s} {'recall':>6s}"
    print(header)
    finals = {}
    for recipe in args.recipes:
        for seed in args.seeds:
            rows = []

            def report(row, name=f"{recipe} ({seed})"):
                if args.grids:
                    os.makedirs(args.grids, exist_ok=True)
                    plots.save_grid(row.pop("grid"), os.path.join(args.grids, f"{name} {row['steps']}.png"))
                rows.append(row)
                print(line(name, row), flush=True)

            curve(recipe, seed, x, args.budget, args.every, measure, report, y, args.steps)
            if rows:
                finals.setdefault(recipe, []).append(rows[-1])
    print(f"\nfinal evaluation, mean over seeds {args.seeds} (sd across seeds; classes: the fewest)")
    for recipe, rows in finals.items():
        s = summary(rows)
        sd = lambda k: f" ± {s[k][1]:.2f}" if s[k][1] is not None else ""
        code = "".join(
            f", {label} {s[k][0]:.1%} (lowest {s[k][2]:.1%})" for k, label in CODES.items() if k in s
        )
        print(
            f"{recipe:44s} {s['seconds'][0]:6.1f} s, {s['steps'][0]:6.0f} steps, FCD {s['fcd'][0]:7.2f}{sd('fcd')}, "
            f"precision {s['precision'][0]:.3f}{sd('precision')}, recall {s['recall'][0]:.3f}{sd('recall')}, "
            f"confident {s['confident'][0]:.1%}, classes {s['classes'][2]:.0f}{code}"
        )


if __name__ == "__main__":
    main()
