"""ganlib: the models, losses and train steps behind the GAN notebooks.

data.py        load_images (load_mnist), make_dataset
distribute.py  get_strategy, describe_devices
losses.py      the loss pairs
classifier.py  the MNIST CNN every metric looks through (trained once, cached)
metrics.py     numbers for generated digits: Fréchet distance, classifier score, class
               histogram, precision/recall, InfoGAN code accuracy
evaluate.py    every metric for a run or a set of images, the real-data floor, the table
models/        one file a model, each with the same sections (see models/base.py); vae.py
step.py        make_train_step: the algorithm, one step; many_steps: a compiled call of several
train.py       fit: the loop around it (with a hook, on_call), Ctrl-C
rundir.py      a run directory: run.json, checkpoints, history, artefacts; read_run, load_run, restore
plots.py       grids, loss curves, GIF
cli.py         python -m ganlib train | sample | classifier | evaluate
quiet.py       quiet_tensorflow: TensorFlow's C++ start-up lines hidden
"""

import importlib

__version__ = "0.1.0"

# Loaded on first use (PEP 562), so that `import ganlib` and `python -m ganlib --help` do not start TensorFlow:
# the command line first silences TensorFlow's C++ start-up lines (cli.py), then imports it.
_MODULES = (
    "classifier",
    "cli",
    "data",
    "distribute",
    "errors",
    "evaluate",
    "losses",
    "metrics",
    "models",
    "plots",
    "quiet",
    "rundir",
    "smoke",
    "step",
    "train",
)
_NAMES = {
    "load_images": "data",
    "load_mnist": "data",
    "make_dataset": "data",
    "scale": "data",
    "describe_devices": "distribute",
    "get_strategy": "distribute",
    "GanlibError": "errors",
    "quiet_tensorflow": "quiet",
    "fit": "train",
    "make_train_step": "step",
    "load_run": "rundir",
    "read_history": "rundir",
    "read_run": "rundir",
    "restore": "rundir",
    "set_aside": "rundir",
    "on_drive": "rundir",
    "fingerprint": "rundir",
}


def __getattr__(name):
    if name in _MODULES:
        return importlib.import_module(f"ganlib.{name}")
    if name in _NAMES:
        return getattr(importlib.import_module(f"ganlib.{_NAMES[name]}"), name)
    raise AttributeError(f"module 'ganlib' has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *_MODULES, *_NAMES])
