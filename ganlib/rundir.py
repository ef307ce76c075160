"""A run directory: everything ``fit`` keeps on disk, and how a run is read back.

run.json          format version, model name and hyperparameters, seed, batch size, precision; once finished, the
                  fingerprint of the code and settings that trained it
history.csv       losses of every step (``g_loss`` only on the steps that updated the generator)
checkpoints/      both networks (and the generator's average) and both optimizers; ckpt-N: the state after step N
grids/            a fixed-latent sample grid after every epoch
logs/             TensorBoard scalars and images
generator.keras   the trained generator (its moving average, the one that draws the samples)
samples.png, training.gif, losses.png
"""

import contextlib
import csv
import json
import os
import shutil
import sys

import keras
import numpy as np
import tensorflow as tf

from ganlib import plots
from ganlib.errors import GanlibError

FORMAT = 1  # run.json's format; a run.json without one (every run before formats were numbered) is format 1
ARTEFACTS = (
    "run.json",
    "history.csv",
    "history.csv.tmp",
    "checkpoints",
    "grids",
    "logs",
    "generator.keras",
    "samples.png",
    "training.gif",
    "losses.png",
)  # what fit writes in a run directory


# run.json
def write_run(out_dir, gan, seed, batch_size, fingerprint=None):
    """``fingerprint``: once the run has finished (``finish``), what made it."""
    os.makedirs(os.path.join(out_dir, "grids"), exist_ok=True)
    run = {
        "format": FORMAT,
        "model": gan.name,
        "config": gan.config,
        "seed": seed,
        "batch_size": batch_size,
        "mixed_precision": gan.mixed_precision,
    }
    if getattr(gan, "cluster_sizes", None) is not None:  # a self-conditioned model's clusters (selfcond.py)
        run["cluster_sizes"] = gan.cluster_sizes
    with open(os.path.join(out_dir, "run.json"), "w") as f:
        json.dump(run | ({"fingerprint": fingerprint} if fingerprint else {}), f, indent=2)


# Hyperparameters added after runs were made without them, with the value those runs trained with: a run.json
# that lacks one rebuilds the model it trained (not today's default).
PREDATED = {
    "dcgan": {"d_hidden": 0},
    "lsgan": {"clusters": 0},
    "wgan": {"clusters": 0, "temperature": 1.0},
    "wgan-gp": {"clusters": 0, "temperature": 1.0},
    "infogan": {"g_hidden": 1024, "cont_weight": 1.0, "q_ema": 0.0},
    "vanilla": {"r1": 0.0},
    "vanilla-minimax": {"r1": 0.0},
}


def read_run(out_dir):
    """The ``run.json`` of a run directory: model name, its config, seed, batch size, mixed precision, once it
    finished its fingerprint (``fingerprint``; None before, or for a run finished by a ganlib without them), and a
    self-conditioned model's cluster sizes (``cluster_sizes``; None for the others). A hyperparameter the run
    predates takes the value it trained with (``PREDATED``)."""
    path = os.path.join(out_dir, "run.json")
    try:
        with open(path) as f:
            run = json.load(f)
        version = run.get("format", 1)
        run = {
            **{k: run[k] for k in ("model", "config", "seed", "batch_size")},
            "mixed_precision": run.get("mixed_precision", False),
            "fingerprint": run.get("fingerprint"),
            "cluster_sizes": run.get("cluster_sizes"),
        }
        run["config"] = PREDATED.get(run["model"], {}) | run["config"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
        raise GanlibError(
            f"{out_dir} is not a readable ganlib run ({path}: {e.__class__.__name__}: {e})."
        ) from None
    if not isinstance(version, int) or version > FORMAT:
        raise GanlibError(
            f"{out_dir} was written by a newer ganlib (run format {version}; this one reads up to {FORMAT}): "
            "upgrade ganlib (pip install -U ganlib) to read it."
        )
    return run


def build_model(run, strategy=None):
    """A fresh model as the run ``read_run(...)`` describes it, in its precision (the checkpoints of a
    mixed-precision run hold loss-scaling optimizers and float32 output casts)."""
    from ganlib import models

    gan = models.build(run["model"], run["config"], strategy=strategy, mixed_precision=run["mixed_precision"])
    if run.get("cluster_sizes") is not None:
        gan.cluster_sizes = run["cluster_sizes"]
    return gan


def load_run(out_dir):
    """The model of a finished run, with the trained (averaged) generator from its ``generator.keras``
    (the discriminator is freshly built: use ``restore`` for the full training state)."""
    gan = build_model(read_run(out_dir))
    path = os.path.join(out_dir, "generator.keras")
    try:
        gan.generator = gan.ema_generator = keras.models.load_model(path)
    except Exception as e:
        raise GanlibError(
            f"cannot load the generator {path} ({e.__class__.__name__}: {e}); is the run finished?"
        ) from None
    return gan


def check_finished(run_dir):
    """That ``run_dir`` holds a readable, finished run (before anything slow starts)."""
    read_run(run_dir)
    if not os.path.isfile(os.path.join(run_dir, "generator.keras")):
        raise GanlibError(
            f"{run_dir} has no generator.keras: is the run finished? (train --resume finishes it)"
        )


# checkpoints
def checkpoint(gan):
    return tf.train.Checkpoint(
        generator=gan.generator,
        discriminator=gan.discriminator,
        g_optimizer=gan.g_optimizer,
        d_optimizer=gan.d_optimizer,
        **({"ema_generator": gan.ema_generator} if gan.ema_generator is not gan.generator else {}),
        **(  # InfoGAN's Q reads real digits through it
            {"ema_discriminator": gan.ema_discriminator}
            if getattr(gan, "ema_discriminator", gan.discriminator) is not gan.discriminator
            else {}
        ),
    )


def restore(gan, out_dir, path=None):
    """Load the latest (or the given) checkpoint of ``out_dir`` into ``gan``, and a self-conditioned model's cluster
    sizes from its ``run.json``; return its step."""
    path = path or tf.train.latest_checkpoint(os.path.join(out_dir, "checkpoints"))
    if not path:
        raise GanlibError(f"no checkpoint in {os.path.join(out_dir, 'checkpoints')}.")
    try:
        checkpoint(gan).restore(path).assert_existing_objects_matched()
    except Exception as e:
        raise GanlibError(
            f"cannot restore checkpoint {path} ({e.__class__.__name__}: {str(e).splitlines()[0]}). It is damaged or "
            "from another model: delete that checkpoint to fall back to the previous one, or start afresh elsewhere."
        ) from None
    sizes = read_run(out_dir)["cluster_sizes"] if os.path.isfile(os.path.join(out_dir, "run.json")) else None
    if sizes is not None:
        gan.cluster_sizes = sizes
    return step_of(path)


def step_of(path):
    """The step a checkpoint ``.../ckpt-N`` holds (0 for none)."""
    return int(path.rsplit("-", 1)[1]) if path else 0


class RunDir:
    """What ``fit`` keeps of a run as it trains: checkpoints, history, grids, TensorBoard log, and at the end the
    generator and pictures. With ``out_dir=None`` it keeps nothing (a benchmark's run)."""

    def __init__(self, gan, out_dir):
        self.gan, self.out_dir = gan, out_dir
        if out_dir is None:
            return
        self.manager = tf.train.CheckpointManager(
            checkpoint(gan), os.path.join(out_dir, "checkpoints"), max_to_keep=3
        )
        self.grid_latent = gan.grid_latent()

    def start(self, resume, seed, batch_size):
        """Claim the directory for a fresh run, or restore the run in it (``resume``). Returns ``(history rows, seed,
        batch size, step)``: the run's own seed and batch size when it resumes, else the given ones or the defaults."""
        gan, out_dir = self.gan, self.out_dir
        if out_dir is None:
            if resume:
                raise GanlibError("resume=True needs the run directory to resume from (out_dir).")
            return [], 0 if seed is None else seed, batch_size or gan.default_batch_size, 0
        latest = self.manager.latest_checkpoint
        if resume:
            started = self.restore_run(latest, seed, batch_size)
        elif latest:
            raise GanlibError(
                f"{out_dir} already holds a run (checkpoint at step {step_of(latest)}). Continue it with "
                "--resume (resume=True), or choose another output directory."
            )
        else:
            if os.path.exists(os.path.join(out_dir, "run.json")):
                clear(out_dir)
                print(
                    f"{out_dir} held a run stopped before its first checkpoint (nothing to resume): starting afresh."
                )
            started = [], 0 if seed is None else seed, batch_size or gan.default_batch_size, 0
            write_run(out_dir, gan, *started[1:3])
        with self.writing("the TensorBoard log"):
            self.writer = tf.summary.create_file_writer(os.path.join(out_dir, "logs"))
        return started

    def restore_run(self, latest, seed, batch_size):
        if not latest:
            raise GanlibError(
                f"nothing to resume: {self.out_dir} has no checkpoint. Run without --resume to start afresh."
            )
        saved, gan = read_run(self.out_dir), self.gan
        given = {
            "model": gan.name,
            "config": gan.config,
            "seed": seed,
            "batch_size": batch_size,
            "mixed_precision": gan.mixed_precision,
        }
        clash = {k: (saved[k], v) for k, v in given.items() if v is not None and saved[k] != v}
        if clash:
            raise GanlibError(
                f"{self.out_dir} holds a run that differs from this one in "
                + "; ".join(f"{k}: run has {a}, asked for {b}" for k, (a, b) in clash.items())
                + ". Resume with the run's settings, or choose another output directory."
            )
        if saved["cluster_sizes"] is not None and saved["cluster_sizes"] != gan.cluster_sizes:
            raise GanlibError(
                f"{self.out_dir} was trained on other digits: their {len(saved['cluster_sizes'])} clusters (k-means) "
                "differ from these images'. Resume with the training digits it started with."
            )
        step = restore(gan, self.out_dir, latest)
        return (
            [row for row in _read_rows(self.out_dir) if row["step"] <= step],
            saved["seed"],
            saved["batch_size"],
            step,
        )

    def saved_step(self):
        """The step of the last checkpoint (0: none yet, or no run directory)."""
        return step_of(self.manager.latest_checkpoint) if self.out_dir else 0

    def images(self):
        return self.gan.ema_generator(self.grid_latent, training=False)

    def log(self, step, rows):
        if self.out_dir is None:
            return
        with self.writing("the TensorBoard log"), self.writer.as_default():  # the mean of the call's steps
            for k in rows[-1]:
                if k not in ("step", "epoch"):
                    tf.summary.scalar(k, np.mean([r[k] for r in rows if k in r]), step=step)

    def save(self, step, history):
        # History first: a kill between the two leaves rows beyond the checkpoint, which resuming
        # drops; the other order would lose the epoch's rows for good.
        if self.out_dir is None:
            return
        with self.writing(f"the checkpoint of step {step}"):
            write_history(self.out_dir, history)
            self.manager.save(checkpoint_number=step)
            # TensorBoard keeps 10 images a tag anyway: one a checkpoint, not one an epoch
            with self.writer.as_default():
                tf.summary.image("samples", plots.grid(self.images())[None, :, :, None], step=step)

    def grid(self, epoch):
        # eager, not a tf.function: a compiled call here changed the next training steps' float results (oneDNN),
        # so a resumed WGAN run no longer matched the straight one bit for bit (tests/test_train.py)
        if self.out_dir is None:
            return
        with self.writing(f"the sample grid of epoch {epoch}"):
            plots.save_grid(self.images(), os.path.join(self.out_dir, "grids", f"epoch_{epoch:04d}.png"))

    def finish(self, history):
        if self.out_dir is None:
            return
        with self.writing("the trained generator and the pictures"):
            finish(self.gan, self.out_dir, history)

    @contextlib.contextmanager
    def writing(self, what):
        """A write into the run directory that failed (disk full, a directory made read-only, ...) stops training
        with a ``GanlibError`` that says so: TensorFlow's writers raise ``tf.errors.OpError``, not ``OSError``."""
        try:
            yield
        except (OSError, tf.errors.OpError) as e:
            reason = (getattr(e, "message", None) or str(e)).strip().splitlines()[0]
            raise GanlibError(
                f"cannot write {what} in {self.out_dir} ({e.__class__.__name__}: {reason}). Free disk space or make the "
                f"directory writable, then continue with --resume (resume=True) from its last checkpoint (step {self.saved_step()})."
            ) from None


# history
def columns(rows):
    keys = list(dict.fromkeys(k for row in rows for k in row))
    return {k: np.array([row.get(k, np.nan) for row in rows], dtype=np.float64) for k in keys}


def read_history(out_dir):
    """The history of the run in ``out_dir``: ``{column: array}``, a row per step."""
    return columns(_read_rows(out_dir))


def _read_rows(out_dir):
    path = os.path.join(out_dir, "history.csv")
    if not os.path.exists(path):
        return []
    with open(path, newline="") as f:
        return [
            {k: (int(v) if k in ("step", "epoch") else float(v)) for k, v in row.items() if v != ""}
            for row in csv.DictReader(f)
        ]


def write_history(out_dir, rows):
    keys = list(dict.fromkeys(k for row in rows for k in row)) or ["step", "epoch"]
    tmp = os.path.join(out_dir, "history.csv.tmp")
    with open(tmp, "w", newline="") as f:
        writer = csv.DictWriter(f, keys)
        writer.writeheader()
        writer.writerows(rows)
    os.replace(tmp, os.path.join(out_dir, "history.csv"))


# the artefacts of a finished run
def finish(gan, out_dir, history):
    if history:  # what made it: fingerprint(gan, steps, batch size, seed), as a notebook prints it
        run = read_run(out_dir)
        made = fingerprint(gan, int(history[-1]["step"]), run["batch_size"], run["seed"])
        write_run(out_dir, gan, run["seed"], run["batch_size"], fingerprint=made)
    gan.ema_generator.save(os.path.join(out_dir, "generator.keras"))
    frames = sorted(f for f in os.listdir(os.path.join(out_dir, "grids")) if f.endswith(".png"))
    if frames:
        frames = [os.path.join(out_dir, "grids", f) for f in frames]
        plots.save_gif(frames, os.path.join(out_dir, "training.gif"))
        with open(frames[-1], "rb") as src, open(os.path.join(out_dir, "samples.png"), "wb") as dst:
            dst.write(src.read())
    if history:
        fig = plots.plot_history(columns(history))
        fig.savefig(os.path.join(out_dir, "losses.png"), dpi=100, bbox_inches="tight")
        plots.plt.close(fig)


def clear(out_dir):
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


def changed_settings(run_dir):
    """What the finished run in ``run_dir`` trained with that is not its model's default: hyperparameters, steps,
    batch size, seed (``["g_lr=0.0002", "steps=200"]``); ``[]`` for a run of the defaults."""
    from ganlib import models

    run = read_run(run_dir)
    cls = models.get(run["model"])
    steps = int(read_history(run_dir)["step"][-1])
    ran = {**run["config"], "steps": steps, "batch_size": run["batch_size"], "seed": run["seed"]}
    defaults = {**cls.HPARAMS, "steps": cls.default_steps, "batch_size": cls.default_batch_size, "seed": 0}
    return [f"{k}={v}" for k, v in ran.items() if v != defaults[k]]


def fingerprint(gan, *settings):
    """What trained ``gan`` and measured it, as 12 hex digits: the code of its model (the modules of its classes and
    the model modules they use),
    of the losses, the train step, the loop, the data pipeline, the classifier and the metrics, its hyperparameters,
    and ``settings`` (a notebook's steps, batch size, seed). Behaviour, not layout: docstrings, comments and
    formatting are left out (the code is hashed as ``ast.unparse`` writes it), so rewording or moving text keeps it.
    A notebook prints it beside its run, and a test compares the committed one with the code's."""
    import ast
    import hashlib
    import inspect

    from ganlib import classifier, data, losses, metrics, step, train

    modules = {inspect.getmodule(c) for c in type(gan).__mro__ if c.__module__.startswith("ganlib.")}
    todo = list(modules)  # and the model modules those build with (LSGAN's selfcond.py: cgan's discriminator)
    while todo:
        for value in vars(todo.pop()).values():
            module = value if inspect.ismodule(value) else inspect.getmodule(value)
            if module and module.__name__.startswith("ganlib.models.") and module not in modules:
                modules.add(module)
                todo.append(module)
    modules |= {classifier, data, losses, metrics, step, train}
    digest = hashlib.sha256()
    for module in sorted(modules, key=lambda m: m.__name__):
        tree = ast.parse(inspect.getsource(module))
        for node in ast.walk(tree):
            body = getattr(node, "body", None)
            if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
                if isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
                    node.body = body[1:] or [ast.Pass()]
        digest.update(f"{module.__name__}\n{ast.unparse(tree)}\n".encode())
    digest.update(json.dumps([getattr(gan, "config", {}), settings], sort_keys=True, default=str).encode())
    return digest.hexdigest()[:12]


DRIVE = "/content/drive"  # where Colab mounts Google Drive


def on_drive(run_dir, mount_point=DRIVE):
    """``run_dir`` on Google Drive, so that a run survives a Colab disconnect: ``MyDrive/ganlib/<run_dir>``,
    Drive mounted first (Colab asks you to allow it) unless it already is. Off Colab, ``run_dir`` unchanged.
    An absolute ``run_dir`` is kept as it is: it already says where the run goes."""
    if "google.colab" not in sys.modules:
        print(f"not on Colab: {run_dir} stays on this machine's disk")
        return run_dir
    if os.path.isabs(run_dir):
        return run_dir
    if not os.path.isdir(os.path.join(mount_point, "MyDrive")):
        from google.colab import drive

        drive.mount(mount_point)
    path = os.path.join(mount_point, "MyDrive", "ganlib", run_dir)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    print(f"{run_dir} is kept on Google Drive: {path}")
    return path
