"""How often a same-seed run repeats bit for bit in one process, with TensorFlow's oneDNN operations on or off.

    python benchmarks/repeatability.py [--model wgan] [--repeats 17] [--after acgan cgan dcgan infogan lsgan]
    TF_ENABLE_ONEDNN_OPTS=0 python benchmarks/repeatability.py

Trains the models of ``--after`` once each (as the test suite does before the WGAN test), then ``--model``
``--repeats`` times from seed 0 (width 4, 12 steps, batch 32, 256 digits: the bit-for-bit test's run), and
prints how many of the repeats differ from the first in any bit of the loss history. The README quotes it.
"""

import argparse
import os
import tempfile

import numpy as np

import ganlib
from ganlib.models import MODELS


def history(name, digits, labels):
    gan = ganlib.models.build(name, {"width": 4}, seed=0)
    h = ganlib.fit(gan, digits, tempfile.mkdtemp(), steps=12, batch_size=32, verbose=0, labels=labels)
    return np.stack([h[k] for k in sorted(h)])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="wgan", choices=sorted(MODELS))
    parser.add_argument("--repeats", type=int, default=17)
    parser.add_argument(
        "--after", nargs="*", default=["acgan", "cgan", "dcgan", "infogan", "lsgan"], choices=sorted(MODELS)
    )
    parser.add_argument("--data", help="MNIST .npz (default: $GANLIB_MNIST)")
    args = parser.parse_args(argv)
    (x, y), _ = ganlib.load_mnist(args.data)
    k = len(x) // 256
    digits, labels = x[::k][:256], y[::k][:256]
    for name in args.after:
        history(name, digits, labels)
    first = history(args.model, digits, labels)
    differ = sum(
        not np.array_equal(first, history(args.model, digits, labels), equal_nan=True)
        for _ in range(args.repeats - 1)
    )
    onednn = os.environ.get("TF_ENABLE_ONEDNN_OPTS", "TensorFlow's default")
    print(
        f"{args.model}, TF_ENABLE_ONEDNN_OPTS={onednn}: {differ} of {args.repeats - 1} repeats differ from the first"
    )


if __name__ == "__main__":
    main()
