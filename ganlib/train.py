"""Training: the distributed train step and the loop around it.

``make_train_step`` is the whole algorithm: one discriminator update, then one generator
update against the *updated* discriminator (every ``n_critic`` steps). ``fit`` runs it
for a number of steps and keeps a run directory:

    run.json          model name and constructor arguments
    history.csv       losses of every step
    checkpoints/      both networks (and the generator's average) and both optimizers; ckpt-N: the state after step N
    grids/            a fixed-latent sample grid after every epoch
    logs/             TensorBoard scalars and images
    generator.keras   the trained generator (its moving average, the one that draws the samples)
    samples.png, training.gif, losses.png
"""
import contextlib
import csv
import json
import math
import os
import shutil
import signal
import threading

import keras
import numpy as np
import tensorflow as tf

from ganlib import plots, smoke
from ganlib.data import make_dataset
from ganlib.errors import GanlibError

GRID_SEED = (2024, 11)  # the fixed latent every grid of a run is drawn from


def make_train_step(gan, strategy=None, jit=False):
    """A ``tf.function`` ``step(batch, update_g) -> {name: global mean}`` under ``strategy``.

    ``batch`` is a distributed ``(real, z_d, z_g)`` from ``make_dataset``. Losses are averaged
    over the global batch, and the optimizers sum gradients over replicas, so the update
    does not depend on the number of replicas. ``scale_loss`` is the identity, except under mixed
    precision, where the optimizers scale the loss up (and the gradients back down). After a
    generator update the generator's moving average follows (``gan.update_ema``). ``update_g`` may
    be a boolean tensor; a step that does not update the generator reports ``g_loss`` as NaN. ``jit``: XLA.
    """
    strategy = strategy or tf.distribute.get_strategy()

    def update(loss_fn, variables, optimizer, name):
        with tf.GradientTape() as tape:
            out = loss_fn()
            out = {k: tf.nn.compute_average_loss(v) for k, v in (out if isinstance(out, dict) else {name: out}).items()}
            scaled = optimizer.scale_loss(out[name])
        optimizer.apply_gradients(zip(tape.gradient(scaled, variables), variables))
        return out

    def replica_step(real, z_d, z_g, update_g):
        metrics = update(lambda: gan.d_loss(real, z_d), gan.d_variables, gan.d_optimizer, "d_loss")
        if update_g:
            metrics |= update(lambda: gan.g_loss(z_g), gan.g_variables, gan.g_optimizer, "g_loss")
            gan.update_ema()
        return metrics

    def run(batch, update_g):
        per_replica = strategy.run(replica_step, args=(*batch, update_g))
        metrics = {k: strategy.reduce(tf.distribute.ReduceOp.SUM, v, axis=None) for k, v in per_replica.items()}
        return metrics | {"g_loss": metrics.get("g_loss", tf.constant(np.nan))}

    @tf.function(jit_compile=jit)
    def step(batch, update_g=True):
        if isinstance(update_g, bool):
            return run(batch, update_g)
        return tf.cond(update_g, lambda: run(batch, True), lambda: run(batch, False))

    return step


def _many_steps(step, n_critic):
    """``steps(iterator, done, n)``: steps ``done + 1 ... done + n`` of a run in one ``tf.function`` call, on
    batches from ``iterator``; returns each metric as a length-``n`` tensor. Python runs once a call, not
    once a step, and nothing waits for a step's result until the call returns."""

    @tf.function
    def steps(iterator, done, n):
        def one(i):  # the generator is updated on every n_critic-th step of the run
            return step(next(iterator), True if n_critic == 1 else (done + i + 1) % n_critic == 0)

        first = one(0)  # its keys name the arrays
        arrays = {k: tf.TensorArray(tf.float32, size=n).write(0, v) for k, v in first.items()}
        for i in tf.range(1, n):
            metrics = one(i)
            arrays = {k: a.write(i, metrics[k]) for k, a in arrays.items()}
        return {k: a.stack() for k, a in arrays.items()}

    return steps


CALL_STEPS = 100  # steps a call of the compiled loop, at most: metrics are read, NaN checked, progress shown this often


def fit(gan, images, out_dir, steps=None, batch_size=None, seed=None, resume=False, strategy=None, verbose=1, jit=False,
        checkpoint_every=500, labels=None):
    """Train ``gan`` on uint8 ``images`` (N, 28, 28) for ``steps`` steps, keeping ``out_dir``. A conditional
    model (``gan.conditional``: cGAN, AC-GAN) also needs the images' ``labels``; the others ignore them.

    With ``resume=True`` it continues the run in ``out_dir`` from its last checkpoint, at the
    same step, weights, optimizer state and data order; without it, it refuses to touch a
    directory that already holds a run. It stops with a ``GanlibError`` if a loss becomes
    NaN or infinite (at most ``CALL_STEPS`` steps later), keeping the last good checkpoint. Ctrl-C
    finishes the steps under way, saves a checkpoint and raises ``KeyboardInterrupt``.
    ``seed`` (default 0) and ``batch_size`` (default the model's) of a resumed run are its own.
    ``jit=True`` compiles the train step with XLA. A checkpoint (and the history) is saved every
    ``checkpoint_every`` steps and at the end; a sample grid after every epoch.
    Returns the history: ``{column: array}``, a row per step.
    """
    strategy = strategy or tf.distribute.get_strategy()
    if gan.conditional and (labels is None or len(labels) != len(images)):
        raise GanlibError(f"{gan.name} is conditional: give fit the labels of the {len(images)} images (labels=y_train).")
    labels = labels if gan.conditional else None
    steps = smoke.cap_steps(steps or gan.default_steps)
    checkpoint = _checkpoint(gan)
    manager = tf.train.CheckpointManager(checkpoint, os.path.join(out_dir, "checkpoints"), max_to_keep=3)
    history, seed, batch_size, step = _start(gan, out_dir, manager, resume, seed, batch_size)
    if resume and verbose:
        print(f"Resuming {out_dir} at step {step + 1}: its last checkpoint holds step {step}.")
    steps_per_epoch = len(images) // batch_size
    if steps_per_epoch == 0:
        raise GanlibError(f"batch size {batch_size} is larger than the {len(images)} training images.")
    train_steps = _many_steps(make_train_step(gan, strategy, jit), gan.n_critic)
    grid_latent = gan.sample_latent(100, tf.constant(GRID_SEED, tf.int64))
    if gan.conditional:  # row k: digit k
        grid_latent = gan.with_labels(grid_latent, np.repeat(np.arange(10), 10))
    with _writing(out_dir, "the TensorBoard log", manager):
        writer = tf.summary.create_file_writer(os.path.join(out_dir, "logs"))

    def save():
        # History first: a kill between the two leaves rows beyond the checkpoint, which resuming
        # drops; the other order would lose the epoch's rows for good.
        with _writing(out_dir, f"the checkpoint of step {step}", manager):
            _write_history(out_dir, history)
            manager.save(checkpoint_number=step)
            with writer.as_default():  # TensorBoard keeps 10 images a tag anyway: one a checkpoint, not one an epoch
                tf.summary.image("samples", plots.grid(gan.ema_generator(grid_latent, training=False))[None, :, :, None], step=step)

    epoch, offset = divmod(step, steps_per_epoch)
    epochs_left = math.ceil(steps / steps_per_epoch) - epoch  # 0 when a finished run is resumed to its own end
    batches = iter(make_dataset(images, batch_size, gan.sample_d, seed, epoch, offset, epochs_left, gan.sample_g, strategy, labels)) if epochs_left > 0 else None
    with _deferred_interrupt() as interrupted:
        while step < steps:
            epoch = step // steps_per_epoch
            end = min((epoch + 1) * steps_per_epoch, steps)
            bar = keras.utils.Progbar(end - epoch * steps_per_epoch, verbose=verbose) if verbose else None
            if verbose:
                print(f"Epoch {epoch + 1}/{math.ceil(steps / steps_per_epoch)}")
            while step < end:
                n = min(CALL_STEPS, end - step, checkpoint_every - step % checkpoint_every)
                metrics = {k: v.numpy().tolist() for k, v in train_steps(batches, tf.constant(step), tf.constant(n)).items()}
                rows = [_row(step + i + 1, epoch + 1, {k: v[i] for k, v in metrics.items()}, gan.n_critic) for i in range(n)]
                _check_finite(rows, out_dir, manager)
                history += rows
                step += n
                with _writing(out_dir, "the TensorBoard log", manager), writer.as_default():  # the mean of the call's steps
                    for k in rows[-1]:
                        if k not in ("step", "epoch"):
                            tf.summary.scalar(k, np.mean([r[k] for r in rows if k in r]), step=step)
                if bar:
                    bar.update(step - epoch * steps_per_epoch, [(k, v) for k, v in rows[-1].items() if k not in ("step", "epoch")])
                if interrupted():
                    save()
                    print(f"\nInterrupted at step {step}: checkpoint saved in {out_dir}; continue with --resume (resume=True).")
                    raise KeyboardInterrupt
                if step % checkpoint_every == 0 or step == steps:
                    save()
            # eager, not a tf.function: a compiled call here changed the next training steps' float results (oneDNN),
            # so a resumed WGAN run no longer matched the straight one bit for bit (tests/test_train.py)
            with _writing(out_dir, f"the sample grid of epoch {epoch + 1}", manager):
                plots.save_grid(gan.ema_generator(grid_latent, training=False), os.path.join(out_dir, "grids", f"epoch_{epoch + 1:04d}.png"))
    with _writing(out_dir, "the trained generator and the pictures", manager):
        _finish(gan, out_dir, history)
    return _columns(history)


@contextlib.contextmanager
def _writing(out_dir, what, manager):
    """A write into the run directory that failed (disk full, a directory made read-only, ...) stops training with
    a ``GanlibError`` that says so: TensorFlow's writers raise ``tf.errors.OpError``, not ``OSError``."""
    try:
        yield
    except (OSError, tf.errors.OpError) as e:
        reason = (getattr(e, "message", None) or str(e)).strip().splitlines()[0]
        raise GanlibError(
            f"cannot write {what} in {out_dir} ({e.__class__.__name__}: {reason}). Free disk space or make the directory "
            f"writable, then continue with --resume (resume=True) from its last checkpoint (step {_saved_step(manager)})."
        ) from None


def _row(step, epoch, metrics, n_critic):
    """A history row; ``g_loss`` only on the steps that updated the generator."""
    return {"step": step, "epoch": epoch, **{k: v for k, v in metrics.items() if k != "g_loss" or step % n_critic == 0}}


def _check_finite(rows, out_dir, manager):
    for row in rows:
        bad = [k for k, v in row.items() if not math.isfinite(v)]
        if bad:
            raise GanlibError(
                f"{bad[0]} became {row[bad[0]]} at step {row['step']}; training stopped. The last good "
                f"checkpoint (step {_saved_step(manager)}) is kept in {out_dir}: lower the learning rate, or "
                "resume from it with --resume (resume=True)."
            )


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


def _checkpoint(gan):
    return tf.train.Checkpoint(
        generator=gan.generator, discriminator=gan.discriminator, g_optimizer=gan.g_optimizer, d_optimizer=gan.d_optimizer,
        **({"ema_generator": gan.ema_generator} if gan.ema_generator is not gan.generator else {}),
    )


def _start(gan, out_dir, manager, resume, seed, batch_size):
    """Restore (resume) or claim (fresh) ``out_dir``; return (history rows, seed, batch size)."""
    run_file = os.path.join(out_dir, "run.json")
    latest = manager.latest_checkpoint
    if not resume:
        if latest:
            raise GanlibError(
                f"{out_dir} already holds a run (checkpoint at step {_saved_step(manager)}). Continue it with "
                "--resume (resume=True), or choose another output directory."
            )
        if os.path.exists(run_file):
            _clear(out_dir)
            print(f"{out_dir} held a run stopped before its first checkpoint (nothing to resume): starting afresh.")
        seed, batch_size = 0 if seed is None else seed, batch_size or gan.default_batch_size
        os.makedirs(os.path.join(out_dir, "grids"), exist_ok=True)
        with open(run_file, "w") as f:
            json.dump({"model": gan.name, "config": gan.config, "seed": seed, "batch_size": batch_size,
                       "mixed_precision": _mixed()}, f, indent=2)
        return [], seed, batch_size, 0
    if not latest:
        raise GanlibError(f"nothing to resume: {out_dir} has no checkpoint. Run without --resume to start afresh.")
    saved = read_run(out_dir)
    given = {"model": gan.name, "config": gan.config, "seed": seed, "batch_size": batch_size, "mixed_precision": _mixed()}
    clash = {k: (saved[k], v) for k, v in given.items() if v is not None and saved[k] != v}
    if clash:
        raise GanlibError(
            f"{out_dir} holds a run that differs from this one in "
            + "; ".join(f"{k}: run has {a}, asked for {b}" for k, (a, b) in clash.items())
            + ". Resume with the run's settings, or choose another output directory."
        )
    step = restore(gan, out_dir, latest)
    return [row for row in _read_history(out_dir) if row["step"] <= step], saved["seed"], saved["batch_size"], step


ARTEFACTS = ("run.json", "history.csv", "history.csv.tmp", "checkpoints", "grids", "logs", "generator.keras",
             "samples.png", "training.gif", "losses.png")  # what fit writes in a run directory


def _clear(out_dir):
    """Delete what a run left in ``out_dir`` (only the files fit writes: nothing else of the user's)."""
    for name in ARTEFACTS:
        path = os.path.join(out_dir, name)
        if os.path.isdir(path):
            shutil.rmtree(path)
        elif os.path.exists(path):
            os.remove(path)


def set_aside(run_dir):
    """Move the run in ``run_dir``, if there is one, to ``run_dir.1`` (or ``.2``, ...: the first free name), so that a
    fresh run can start there and the old one is kept. Returns the new path, or None when there was no run."""
    if not os.path.exists(os.path.join(run_dir, "run.json")):
        return None
    n = 1
    while os.path.exists(f"{run_dir}.{n}"):
        n += 1
    os.rename(run_dir, f"{run_dir}.{n}")
    print(f"The previous run in {run_dir} is kept in {run_dir}.{n} (delete it when you no longer need it).")
    return f"{run_dir}.{n}"


def read_run(out_dir):
    """The ``run.json`` of a run directory: model name, its config, seed, batch size, mixed precision."""
    path = os.path.join(out_dir, "run.json")
    try:
        with open(path) as f:
            run = json.load(f)
        return {**{k: run[k] for k in ("model", "config", "seed", "batch_size")}, "mixed_precision": run.get("mixed_precision", False)}
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise GanlibError(f"{out_dir} is not a readable ganlib run ({path}: {e.__class__.__name__}: {e}).") from None


def load_run(out_dir):
    """The model of a finished run, with the trained (averaged) generator from its ``generator.keras``
    (the discriminator is freshly built: use ``restore`` for the full training state)."""
    gan = build_model(read_run(out_dir))
    path = os.path.join(out_dir, "generator.keras")
    try:
        gan.generator = gan.ema_generator = keras.models.load_model(path)
    except Exception as e:
        raise GanlibError(f"cannot load the generator {path} ({e.__class__.__name__}: {e}); is the run finished?") from None
    return gan


def build_model(run):
    """A fresh model as the run ``read_run(...)`` describes it, in its precision (the checkpoints of a
    mixed-precision run hold loss-scaling optimizers and float32 output casts)."""
    from ganlib import models

    policy = keras.config.dtype_policy()
    keras.mixed_precision.set_dtype_policy("mixed_float16" if run["mixed_precision"] else "float32")
    try:
        return models.get(run["model"])(**run["config"])
    finally:
        keras.mixed_precision.set_dtype_policy(policy)


def _mixed():
    return keras.config.dtype_policy().name == "mixed_float16"


def restore(gan, out_dir, path=None):
    """Load the latest (or the given) checkpoint of ``out_dir`` into ``gan``; return its step."""
    checkpoint = _checkpoint(gan)
    path = path or tf.train.latest_checkpoint(os.path.join(out_dir, "checkpoints"))
    if not path:
        raise GanlibError(f"no checkpoint in {os.path.join(out_dir, 'checkpoints')}.")
    try:
        checkpoint.restore(path).assert_existing_objects_matched()
    except Exception as e:
        raise GanlibError(
            f"cannot restore checkpoint {path} ({e.__class__.__name__}: {str(e).splitlines()[0]}). It is damaged or "
            "from another model: delete that checkpoint to fall back to the previous one, or start afresh elsewhere."
        ) from None
    return int(path.rsplit("-", 1)[1])


def _saved_step(manager):
    latest = manager.latest_checkpoint
    return int(latest.rsplit("-", 1)[1]) if latest else 0


def _finish(gan, out_dir, history):
    gan.ema_generator.save(os.path.join(out_dir, "generator.keras"))
    frames = sorted(f for f in os.listdir(os.path.join(out_dir, "grids")) if f.endswith(".png"))
    if frames:
        frames = [os.path.join(out_dir, "grids", f) for f in frames]
        plots.save_gif(frames, os.path.join(out_dir, "training.gif"))
        with open(frames[-1], "rb") as src, open(os.path.join(out_dir, "samples.png"), "wb") as dst:
            dst.write(src.read())
    if history:
        fig = plots.plot_history(_columns(history))
        fig.savefig(os.path.join(out_dir, "losses.png"), dpi=100, bbox_inches="tight")
        plots.plt.close(fig)


def _columns(rows):
    keys = list(dict.fromkeys(k for row in rows for k in row))
    return {k: np.array([row.get(k, np.nan) for row in rows], dtype=np.float64) for k in keys}


def read_history(out_dir):
    """The history of the run in ``out_dir``: ``{column: array}``, a row per step."""
    return _columns(_read_history(out_dir))


def _read_history(out_dir):
    path = os.path.join(out_dir, "history.csv")
    if not os.path.exists(path):
        return []
    with open(path, newline="") as f:
        return [
            {k: (int(v) if k in ("step", "epoch") else float(v)) for k, v in row.items() if v != ""}
            for row in csv.DictReader(f)
        ]


def _write_history(out_dir, rows):
    keys = list(dict.fromkeys(k for row in rows for k in row)) or ["step", "epoch"]
    tmp = os.path.join(out_dir, "history.csv.tmp")
    with open(tmp, "w", newline="") as f:
        writer = csv.DictWriter(f, keys)
        writer.writeheader()
        writer.writerows(rows)
    os.replace(tmp, os.path.join(out_dir, "history.csv"))
