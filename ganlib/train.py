"""The training loop: ``fit`` runs the compiled train step (``step.py``) for a number of steps and keeps a run
directory (``rundir.py``): a checkpoint every ``checkpoint_every`` steps, the history with it, a sample grid
after every epoch. ``on_call`` lets a caller watch it between compiled calls, size the next call, or stop it.
"""

import contextlib
import math
import signal
import threading
import time

import keras
import tensorflow as tf

from ganlib import rundir, smoke
from ganlib.data import make_dataset
from ganlib.errors import GanlibError
from ganlib.step import make_train_step, many_steps

LOG_LINES = 20  # verbose=2 prints about this many lines a run
CALL_STEPS = 100  # steps a call of the compiled loop, at most: metrics are read, NaN checked, progress shown this often
PIPELINE_INDICES = 5_000_000  # digit indices an input pipeline holds at most: a run's epochs in one or a few


class Call:
    """What ``on_call`` is told after a compiled call: ``step`` (steps done), ``rows`` (that call's history rows),
    ``started`` and ``ready`` (``time.perf_counter()`` when the call began and when its results had been read)."""

    def __init__(self, step, rows, started, ready):
        self.step, self.rows, self.started, self.ready = step, rows, started, ready


def fit(
    gan,
    images,
    out_dir=None,
    *,
    steps=None,
    batch_size=None,
    seed=None,
    resume=False,
    strategy=None,
    verbose=1,
    jit=False,
    checkpoint_every=500,
    labels=None,
    on_call=None,
):
    """Train ``gan`` on uint8 ``images`` (N, 28, 28) for ``steps`` steps (default the model's), keeping ``out_dir``.

    A conditional model (``gan.conditional``: cGAN, AC-GAN) also needs the images' ``labels``; the others ignore
    them. With ``resume=True`` it continues the run in ``out_dir`` from its last checkpoint, at the same step,
    weights, optimizer state and data order; without it, it refuses a directory that already holds a run. It stops
    with a ``GanlibError`` if a loss becomes NaN or infinite (at most ``CALL_STEPS`` steps later), keeping the last
    good checkpoint, or if a write into ``out_dir`` fails. Ctrl-C finishes the steps under way, saves a checkpoint
    and raises ``KeyboardInterrupt``. ``verbose``: 0 silent, 1 a progress bar an epoch, 2 a line every few epochs
    (about ``LOG_LINES`` a run: the step, the last losses, the seconds so far). ``seed`` (default 0) and
    ``batch_size`` (default the model's) of a resumed run are its own. ``jit=True`` compiles the train step with
    XLA. ``out_dir=None`` keeps nothing on disk.

    ``on_call(call)``, if given, runs before the first compiled call (with no rows) and after every call (``Call``: its
    step, rows and times), and returns None to go on, 0 to stop there, or n > 0 for at most n steps in the next call:
    a benchmark's clock, evaluations along the way, exact stopping points.
    Returns the history: ``{column: array}``, a row per step (``g_loss`` NaN where the generator was not updated).
    """
    strategy = strategy or tf.distribute.get_strategy()
    if gan.conditional and (labels is None or len(labels) != len(images)):
        raise GanlibError(
            f"{gan.name} is conditional: give fit the labels of the {len(images)} images (labels=y_train)."
        )
    steps = steps or gan.default_steps
    if isinstance(steps, bool) or not float(steps).is_integer() or steps < 1:
        raise GanlibError(f"steps must be a whole number of steps >= 1, not {steps!r}.")
    steps = smoke.cap_steps(int(steps))
    # what each image is paired with: a conditional model's digits, a self-conditioned one's clusters
    labelled = gan.real_labels(images, labels)
    run = rundir.RunDir(gan, out_dir)
    history, seed, batch_size, step = run.start(resume, seed, batch_size)
    if resume and verbose:
        print(f"Resuming {out_dir} at step {step + 1}: its last checkpoint holds step {step}.")
    per_epoch = len(images) // batch_size
    if per_epoch == 0:
        raise GanlibError(f"batch size {batch_size} is larger than the {len(images)} training images.")
    train_steps = many_steps(make_train_step(gan, strategy, jit), gan.n_critic)
    epochs, pipeline_end = math.ceil(steps / per_epoch), 0
    now = time.perf_counter()
    cap = on_call(Call(step, [], now, now)) if on_call else None
    with _deferred_interrupt() as interrupted:
        while step < steps and cap != 0:
            epoch, offset = divmod(step, per_epoch)
            end = min((epoch + 1) * per_epoch, steps)
            if epoch >= pipeline_end:  # building a pipeline traces its map: once a run, not once an epoch
                count = min(epochs - epoch, max(1, PIPELINE_INDICES // len(images)))
                batches = iter(make_dataset(images, batch_size, gan.sample_d, seed, epoch, skip=offset, epochs=count,
                                            sample_g=gan.sample_g, strategy=strategy, labels=labelled))  # fmt: skip
                pipeline_end = epoch + count
            bar = _progress(verbose, epoch, epochs, end - epoch * per_epoch)
            while step < end and cap != 0:
                n = min(CALL_STEPS, end - step, checkpoint_every - step % checkpoint_every, cap or CALL_STEPS)
                call = _call(train_steps, batches, step, n, epoch)
                _check_finite(call.rows, run)
                history += call.rows
                step = call.step
                run.log(step, call.rows)
                if bar:
                    bar.update(
                        step - epoch * per_epoch,
                        [(k, v) for k, v in call.rows[-1].items() if k not in ("step", "epoch")],
                    )
                if interrupted():
                    run.save(step, history)
                    print(
                        f"\nInterrupted at step {step}: checkpoint saved in {out_dir}; continue with --resume (resume=True)."
                    )
                    raise KeyboardInterrupt
                if step % checkpoint_every == 0 or step == steps:
                    run.save(step, history)
                cap = on_call(call) if on_call else None
            if step == end:
                run.grid(epoch + 1)
                if verbose == 2 and ((epoch + 1) % math.ceil(epochs / LOG_LINES) == 0 or step == steps):
                    last = {k: v for row in history[-gan.n_critic :] for k, v in row.items()}  # g_loss too
                    _log_line(epoch, epochs, step, last, time.perf_counter() - now)
    if run.saved_step() != step:  # stopped early by on_call
        run.save(step, history)
    run.finish(history)
    return rundir.columns(history)


def _call(train_steps, batches, step, n, epoch):
    """Steps ``step + 1 ... step + n`` in one compiled call, timed to the moment their results have been read."""
    started = time.perf_counter()
    results = {k: v.numpy() for k, v in train_steps(batches, tf.constant(step), tf.constant(n)).items()}
    ready = time.perf_counter()
    rows = [_row(step + i + 1, epoch + 1, {k: float(v[i]) for k, v in results.items()}) for i in range(n)]
    return Call(step + n, rows, started, ready)


def _progress(verbose, epoch, epochs, steps):
    if verbose != 1:
        return None
    print(f"Epoch {epoch + 1}/{epochs}")
    return keras.utils.Progbar(steps)


def _log_line(epoch, epochs, step, row, seconds):
    losses = ", ".join(f"{k} {v:.4f}" for k, v in row.items() if k not in ("step", "epoch"))
    print(f"epoch {epoch + 1}/{epochs}, step {step}: {losses} ({seconds:.0f} s)")


def _check_finite(rows, run):
    for row in rows:
        bad = [k for k, v in row.items() if not math.isfinite(v)]
        if bad:
            kept = (
                (
                    f"The last good checkpoint (step {run.saved_step()}) is kept in {run.out_dir}: lower the learning rate, "
                    "or resume from it with --resume (resume=True)."
                )
                if run.out_dir
                else "Lower the learning rate."
            )
            raise GanlibError(
                f"{bad[0]} became {row[bad[0]]} at step {row['step']}; training stopped. {kept}"
            )


def _row(step, epoch, metrics):
    """A history row; ``g_loss`` only on the steps that updated the generator."""
    updated = metrics.pop("g_updated")
    return {"step": step, "epoch": epoch, **{k: v for k, v in metrics.items() if k != "g_loss" or updated}}


@contextlib.contextmanager
def _deferred_interrupt():
    """While training, Ctrl-C (SIGINT) only raises a flag, read between calls of the compiled loop, so
    the checkpoint saved then holds whole steps under their right number. A second Ctrl-C stops at once."""
    flag = []
    if threading.current_thread() is not threading.main_thread():  # signals reach the main thread only
        yield lambda: False
        return

    def handler(signum, frame):
        if flag:
            signal.default_int_handler(signum, frame)
        flag.append(signum)

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield lambda: bool(flag)
    finally:
        signal.signal(signal.SIGINT, previous)
