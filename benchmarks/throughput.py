"""Training throughput of the default DCGAN, in images per second, on this machine.

    python benchmarks/throughput.py [--steps 300] [--repeats 3]

Measures the real train step (``ganlib.make_train_step``) on batches from the real input
pipeline, after a warm-up that traces the step, three ways:
  default   the default strategy (what a CPU-only machine trains with)
  mirrored  MirroredStrategy over one device (all-reduce and synchronised batch norm with a
            single replica: the overhead of the distribution machinery itself)
and prints the median of ``--repeats`` timings each, and the strategy's relative cost.
"""
import argparse
import time

import numpy as np
import tensorflow as tf

import ganlib


def throughput(strategy, images, steps, repeats, batch_size=64):
    with strategy.scope():
        gan = ganlib.models.DCGAN()
        step = ganlib.make_train_step(gan, strategy)
        batches = iter(ganlib.make_dataset(images, batch_size, gan.sample_latent, 0, 0))
        first = next(batches)
        step(first)  # trace
    def run(steps):
        done, epoch = 0, 1
        while True:
            for batch in ganlib.make_dataset(images, batch_size, gan.sample_latent, 0, epoch):
                float(step(batch)["d_loss"])  # wait for the step, as fit does
                done += 1
                if done == steps:
                    return
            epoch += 1

    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        run(steps)
        rates.append(steps * batch_size / (time.perf_counter() - start))
    return float(np.median(rates))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    (x, _), _ = ganlib.load_mnist()
    device = (tf.config.list_logical_devices("GPU") or tf.config.list_logical_devices("CPU"))[0].name
    default = throughput(tf.distribute.get_strategy(), x, args.steps, args.repeats)
    mirrored = throughput(tf.distribute.MirroredStrategy([device]), x, args.steps, args.repeats)
    print(f"DCGAN (defaults: batch 64, width 32, latent 64), {args.steps} steps x {args.repeats}, median:")
    print(f"  default strategy            {default:8.0f} images/s")
    print(f"  MirroredStrategy, 1 device  {mirrored:8.0f} images/s  ({(default - mirrored) / default:+.1%} cost)")


if __name__ == "__main__":
    main()
