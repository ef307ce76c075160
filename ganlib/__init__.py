"""ganlib: the models, losses and train steps behind the GAN notebooks.

    data.py        load_mnist, make_dataset
    distribute.py  get_strategy
    losses.py      the loss pairs
    classifier.py  the MNIST CNN every metric looks through (trained once, cached)
    metrics.py     numbers for generated digits: Fréchet distance, classifier score, class
                   histogram, precision/recall, InfoGAN code accuracy
    evaluate.py    every metric for a run or a set of images, the real-data floor, the table
    models/        one file a model, each with the same sections (see models/base.py); vae.py
    train.py       make_train_step (the algorithm) and fit (the loop, checkpoints, history)
    plots.py       grids, loss curves, GIF
    cli.py         python -m ganlib train | sample | classifier | evaluate
"""
from ganlib import losses, metrics, models, plots, smoke
from ganlib.data import load_mnist, make_dataset, scale
from ganlib.distribute import get_strategy
from ganlib.errors import GanlibError
from ganlib.train import fit, load_run, make_train_step, read_history, read_run, restore

__version__ = "0.1.0"
