"""The command line: ``python -m ganlib train MODEL``, ``sample RUN_DIR``, ``classifier``, ``evaluate RUN_DIR``.

Problems the user can fix (unknown model, bad arguments, missing data, unreadable run
directory, a diverged run) print one ``ganlib: error: ...`` line and exit with status 2.
"""

import argparse
import os
import sys

DATA_HELP = (
    "training data: an .npz in Keras' mnist.npz layout, a folder of 28x28 images in one subfolder per class "
    "(with train/ and test/, or 1 in 7 held out for the metrics), or mnist / fashion_mnist "
    "(Keras' download); default $GANLIB_MNIST, else mnist"
)


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise SystemExit(_fail(message))


def _fail(message):
    print(f"ganlib: error: {message}", file=sys.stderr)
    return 2


def _whole(minimum, wording, maximum=None):
    """An argparse type: a whole number from ``minimum`` to ``maximum``, else an error that says so (``wording``)."""

    def parse(text):
        try:
            value = int(text)
        except ValueError:
            value = minimum - 1
        if value < minimum or (maximum is not None and value > maximum):
            raise argparse.ArgumentTypeError(f"expected {wording}, got {text!r}")
        return value

    return parse


_positive = _whole(1, "a positive whole number")
_seed = _whole(0, "a seed: a whole number from 0 to 2**32 - 1", maximum=2**32 - 1)  # numpy's range
# precision and recall look at each digit's 3 nearest neighbours among the others
_sample_count = _whole(
    4, "at least 4 digits a run (precision and recall need each digit's 3 nearest neighbours)"
)


def _label(text):
    if text == "all":
        return text
    if not (text.isdigit() and 0 <= int(text) <= 9):
        raise argparse.ArgumentTypeError(f"expected a digit 0-9 or 'all', got {text!r}")
    return int(text)


def _hparam(text):
    import ast

    name, sep, value = text.partition("=")
    if not sep or not name.isidentifier():
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    try:
        return name, ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return name, value


def _parser():
    from ganlib.distribute import STRATEGIES
    from ganlib.models import MODELS

    parser = _Parser(prog="python -m ganlib", description="Train GANs on MNIST and sample from them.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    train = commands.add_parser("train", help="train a model; writes a run directory")
    train.add_argument("model", choices=sorted(MODELS), help="which model")
    budget = train.add_mutually_exclusive_group()
    budget.add_argument(
        "--steps",
        type=_positive,
        help="training steps, counting discriminator updates (default: the model's, sized for a CPU)",
    )
    budget.add_argument("--epochs", type=_positive, help="passes over the training images instead of --steps")
    train.add_argument("--batch-size", type=_positive, help="global batch size (default: the model's, 64)")
    train.add_argument("--seed", type=_seed, help="seed of initial weights, data order and noise (default 0)")
    train.add_argument(
        "--set",
        type=_hparam,
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override one of the model's hyperparameters, e.g. --set g_lr=1e-3 --set ema=0 (see models/base.py)",
    )
    train.add_argument(
        "--checkpoint-every",
        type=_positive,
        default=500,
        metavar="STEPS",
        help="steps between checkpoints (default 500)",
    )
    train.add_argument("--out", help="run directory (default: runs/MODEL)")
    train.add_argument(
        "--resume", action="store_true", help="continue the run in --out from its last checkpoint"
    )
    train.add_argument("--data", help=DATA_HELP)
    train.add_argument(
        "--strategy", choices=STRATEGIES, default="auto", help="tf.distribute strategy (default auto)"
    )
    train.add_argument(
        "--mixed-precision",
        action="store_true",
        help="float16 maths with float32 outputs and loss scaling (for GPUs)",
    )
    train.add_argument("--jit", action="store_true", help="compile the train step with XLA (for GPUs)")

    sample = commands.add_parser("sample", help="generate digits with a trained run's generator")
    sample.add_argument("run_dir", help="a run directory written by 'train'")
    sample.add_argument("--n", type=_positive, default=100, help="how many digits (default 100)")
    sample.add_argument("--seed", type=_seed, default=0, help="latent seed (default 0)")
    sample.add_argument(
        "--label",
        type=_label,
        help="conditional runs (cgan, acgan): the digit to draw, 0-9, or 'all' "
        "for equally many of each (default: digits at random)",
    )
    sample.add_argument("--out", required=True, help="output .npz: uint8 (N, 28, 28) under the key 'samples'")

    classifier = commands.add_parser(
        "classifier", help="train (or show) the MNIST classifier the metrics use"
    )
    classifier.add_argument("--data", help=DATA_HELP)

    evaluate = commands.add_parser("evaluate", help="metrics of trained runs, beside the real-data floor")
    evaluate.add_argument("run_dirs", nargs="+", metavar="RUN_DIR", help="run directories written by 'train'")
    evaluate.add_argument(
        "--n",
        type=_sample_count,
        help="generated digits per run (default: as many as training digits, at most 10,000)",
    )
    evaluate.add_argument("--data", help=DATA_HELP)
    return parser


def _classifier(data_path):
    from ganlib import classifier, data

    (x, y), (xt, yt) = data.load_images(data_path)
    model = classifier.get_classifier(x, y)
    print(
        f"classifier {classifier.cache_path(x)}: test accuracy {classifier.accuracy(model, xt, yt):.2%} "
        f"({len(x)} training digits, {len(xt)} test digits)"
    )
    return model, (x, y), (xt, yt)


def cmd_classifier(args):
    _classifier(args.data)


def cmd_evaluate(args):
    from ganlib import evaluate, rundir

    for run_dir in args.run_dirs:  # before the classifier trains or loads: a typo costs no time
        rundir.check_finished(run_dir)
    model, (x, _), test = _classifier(args.data)
    rows = evaluate.compare(model, x, test, {d: d for d in args.run_dirs}, args.n)
    print(
        f"{evaluate.sample_size(x, args.n)} digits a row against the {len(test[0])} test digits; the first row is the real-data floor."
    )
    print(evaluate.table(rows))


def parse(argv):
    """The command line's arguments (``parse(["train", "dcgan", "--set", "g_lr=1e-3"])``); exits with its one-line
    error when they are wrong."""
    return _parser().parse_args(argv)


def build(args):
    """The model and strategy ``train`` arguments ask for, with initial weights that follow ``--seed``.
    Returns ``(gan, strategy)``."""
    from ganlib import distribute, models

    strategy = distribute.get_strategy(args.strategy)
    gan = models.build(
        args.model,
        dict(args.set),
        strategy=strategy,
        seed=args.seed or 0,
        mixed_precision=args.mixed_precision,
    )
    return gan, strategy


def cmd_train(args):
    from ganlib import data, distribute, rundir, train

    (x_train, y_train), _ = data.load_images(args.data)
    task = distribute.worker_task() if args.strategy == "multiworker" else None
    if task and task[0] > 0:  # every worker writes checkpoints; only worker 0 writes to --out
        args.out = f"{args.out}.worker-{task[0]}"
    gan, strategy = build(args)
    batch_size = args.batch_size or (rundir.read_run(args.out)["batch_size"] if args.resume else None)
    global_batch, replicas = batch_size or gan.default_batch_size, strategy.num_replicas_in_sync
    steps = args.epochs * (len(x_train) // global_batch) if args.epochs else args.steps
    print(
        f"{distribute.describe_devices()}; {replicas} replica(s) in sync; global batch {global_batch}, {global_batch // replicas} examples a replica"
    )
    history = train.fit(
        gan,
        x_train,
        args.out,
        steps=steps,
        batch_size=args.batch_size,
        seed=args.seed,
        resume=args.resume,
        strategy=strategy,
        jit=args.jit,
        checkpoint_every=args.checkpoint_every,
        labels=y_train,
    )
    last = {k: round(float(v[-1]), 4) for k, v in history.items() if k not in ("step", "epoch")}
    print(f"trained {args.model} to step {int(history['step'][-1])}: {last}. Run directory: {args.out}")


def cmd_sample(args):
    import numpy as np

    from ganlib import models, plots, rundir
    from ganlib.errors import GanlibError

    model = rundir.read_run(args.run_dir)["model"]
    if args.label is not None and not models.get(model).conditional:
        raise GanlibError(
            f"{args.run_dir} is a {model} run, which cannot be asked for a digit: --label needs a cgan or acgan run."
        )
    images, conditions = rundir.load_run(args.run_dir).draw(args.n, (args.seed, 0), args.label)
    # beside the digits, what each was drawn for: InfoGAN's categorical code, a conditional model's digit
    out = {
        "samples": plots.to_uint8(images),
        **{k: np.asarray(v).astype(np.uint8) for k, v in conditions.items()},
    }
    np.savez_compressed(args.out, **out)
    print(f"wrote {args.n} digits {out['samples'].shape} uint8 to {args.out} (keys: {', '.join(out)})")


def main(argv=None):
    from ganlib.quiet import quiet_tensorflow

    quiet_tensorflow()  # before the parser imports the models (and TensorFlow)
    args = _parser().parse_args(argv)
    if args.command == "train":
        args.out = args.out or os.path.join("runs", args.model)
    from ganlib.errors import GanlibError

    try:
        globals()[f"cmd_{args.command}"](args)
    except GanlibError as e:
        return _fail(str(e))
    except OSError as e:  # an output path that cannot be written
        return _fail(f"{e.strerror or e}: {e.filename or ''}".rstrip(": "))
    except KeyboardInterrupt:
        return 130
    return 0
