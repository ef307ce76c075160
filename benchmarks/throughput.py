"""Training throughput of the default DCGAN, in images per second, on this machine, and the
overhead of the training loop around the step.

    python benchmarks/throughput.py [--steps 300] [--repeats 3]
    python benchmarks/throughput.py --overhead      # the default DCGAN run (4,500 steps), about 3 minutes

Measures the real train step (``ganlib.make_train_step``) on batches from the real input
pipeline, after a warm-up that traces the step, four ways:
  default          the default strategy (what a CPU-only machine trains with)
  mirrored         MirroredStrategy over one device (all-reduce and synchronised batch norm with
                   a single replica: the overhead of the distribution machinery itself)
  mixed precision  the default strategy under Keras' mixed_float16 policy (--mixed-precision)
  XLA              the default strategy with the step compiled by XLA (--jit)
and prints the median of ``--repeats`` timings each, relative to the default. The last two are
meant for GPUs (tensor cores, fused kernels); a CPU has no fast float16 and may be slower.

``--overhead`` times ``ganlib.fit`` on the default DCGAN run (what ``python -m ganlib train dcgan``
trains, start-up excluded: tracing, grids, checkpoints, history, TensorBoard, progress bar all included; each of
its compiled calls timed through fit's ``on_call`` hook)
against its steps x the pure step time, and prints the difference, the loop's overhead, two ways:
  in the run   the pure step is the median time a step of fit's own calls of the compiled loop (after the
               first, which traces): everything outside those calls, and the tracing, is overhead
  apart        the pure step is the median time a step of 100-step calls of the same compiled loop with
               nothing around them, measured before and after the run and averaged (the step time drifts
               by ~10% within minutes on this machine, which makes this one noisy)
"""

import argparse
import tempfile
import time

import numpy as np
import tensorflow as tf

import ganlib


def throughput(strategy, images, steps, repeats, batch_size=64, jit=False, mixed_precision=False):
    gan = ganlib.models.build("dcgan", strategy=strategy, mixed_precision=mixed_precision)
    with strategy.scope():
        step = ganlib.make_train_step(gan, strategy, jit)
        batches = iter(ganlib.make_dataset(images, batch_size, gan.sample_d, 0, 0, sample_g=gan.sample_g))
        first = next(batches)
        step(first)  # trace

    def run(steps):
        done, epoch = 0, 1
        while True:
            for batch in ganlib.make_dataset(
                images, batch_size, gan.sample_d, 0, epoch, sample_g=gan.sample_g, strategy=strategy
            ):
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


def pure_step_seconds(images, calls=5, n=100, batch_size=64):
    """Median seconds a step of the compiled loop alone, on the real input pipeline (after tracing)."""
    gan = ganlib.models.build("dcgan", seed=0)
    steps = ganlib.step.many_steps(ganlib.make_train_step(gan), gan.n_critic)
    batches = iter(
        ganlib.make_dataset(
            images,
            batch_size,
            gan.sample_d,
            0,
            0,
            epochs=calls * n // (len(images) // batch_size) + 2,
            sample_g=gan.sample_g,
        )
    )
    steps(batches, tf.constant(0), tf.constant(n))  # trace
    times = []
    for i in range(1, calls + 1):
        start = time.perf_counter()
        steps(batches, tf.constant(i * n), tf.constant(n))["d_loss"].numpy()
        times.append((time.perf_counter() - start) / n)
    return float(np.median(times))


def overhead(images, calls=5, n=100):
    before = pure_step_seconds(images, calls, n)
    timings = []  # (steps, seconds) of every call of the compiled loop inside fit, to the moment its results were read

    def timed(call):
        if call.rows:
            timings.append((len(call.rows), call.ready - call.started))

    gan = ganlib.models.build("dcgan", seed=0)
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        ganlib.fit(gan, images, out, verbose=0, on_call=timed)
        wall = time.perf_counter() - start
    after = pure_step_seconds(
        images, calls, n
    )  # the step time drifts on a shared machine: measured on both sides of the run
    sizes, t = np.array(timings).T
    pure, steps = (before + after) / 2, int(sizes.sum())
    inside = np.median(t[1:] / sizes[1:])  # the first call also traces
    in_run = t[1:].sum() + sizes[0] * inside
    print(
        f"DCGAN default run: {steps} steps in {len(timings)} calls of the compiled loop; fit() took {wall:.1f} s."
    )
    print(
        f"  in the run: a step {inside * 1000:.2f} ms (median of the calls after the first), so {in_run:.1f} s of steps: "
        f"overhead {wall - in_run:.1f} s = {(wall - in_run) / wall:.1%} of the run"
    )
    print(
        f"  apart: a step {before * 1000:.2f} ms before the run, {after * 1000:.2f} ms after, so {steps * pure:.1f} s of steps: "
        f"overhead {wall - steps * pure:.1f} s = {(wall - steps * pure) / wall:.1%} of the run"
    )


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--overhead", action="store_true", help="time fit() on the default DCGAN run against its pure steps"
    )
    args = parser.parse_args()
    (x, _), _ = ganlib.load_mnist()
    if args.overhead:
        return overhead(x)
    device = (tf.config.list_logical_devices("GPU") or tf.config.list_logical_devices("CPU"))[0].name
    default = throughput(tf.distribute.get_strategy(), x, args.steps, args.repeats)
    rows = {
        "MirroredStrategy, 1 device": throughput(
            tf.distribute.MirroredStrategy([device]), x, args.steps, args.repeats
        ),
        "mixed precision": throughput(
            tf.distribute.get_strategy(), x, args.steps, args.repeats, mixed_precision=True
        ),
        "XLA (jit)": throughput(tf.distribute.get_strategy(), x, args.steps, args.repeats, jit=True),
    }
    print(
        f"DCGAN (defaults: batch 64, width 32, latent 64) on {device}, {args.steps} steps x {args.repeats}, median:"
    )
    print(f"  {'default strategy':28s}{default:8.0f} images/s")
    for name, rate in rows.items():
        print(f"  {name:28s}{rate:8.0f} images/s  ({rate / default - 1:+.1%} against the default)")


if __name__ == "__main__":
    main()
