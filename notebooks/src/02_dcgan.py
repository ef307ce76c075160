# ---
# jupyter:
#   accelerator: GPU
#   jupytext:
#     cell_metadata_filter: tags,jupyter,-all
#     notebook_metadata_filter: accelerator,kernelspec
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/ganlib/ganlib/blob/main/notebooks/02_dcgan.ipynb)

# %%
# On Colab, install ganlib on Colab's own TensorFlow and Keras (it pins nothing over them); elsewhere
# this does nothing.
import sys

if "google.colab" in sys.modules:
    # !pip install -q "ganlib @ git+https://github.com/ganlib/ganlib"

# %% [markdown]
# # DCGAN on MNIST
#
# A *generative adversarial network* trains two networks against each other: a **generator**
# $G$ that turns noise $z$ into images, and a **discriminator** $D$ that tells real images from
# generated ones. DCGAN (Radford et al., 2016) is the version built from convolutions, and the
# baseline every later notebook changes one piece of.
#
# This notebook: the objective and its losses, the two networks, two training tricks and what
# they buy, training under `tf.distribute`, samples over training, the losses and how to read
# them, restoring a checkpoint, and generating digits from the saved generator. About 2 minutes
# on a 2-core CPU.

# %% [markdown]
# ## Setup

# %% tags=["nbval-ignore-output"]
import ganlib

ganlib.quiet_tensorflow()  # hides TensorFlow's C++ start-up lines; set TF_CPP_MIN_LOG_LEVEL=0 (or GANLIB_VERBOSE_TF=1) to see them
import time

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from IPython.display import Image

from ganlib import classifier, evaluate

# %% [markdown]
# The settings of this run. The defaults train in about 2.5 minutes on a 2-core CPU; on a GPU,
# raise `STEPS` (and `BATCH_SIZE`). Re-running the notebook starts a fresh run in `RUN_DIR`,
# keeping the previous one
# beside it, `.1` (then `.2`, ...) added to its name; set `RESUME = True` to continue it instead.
# On Colab, `ON_DRIVE = True` keeps it on your Google Drive (`MyDrive/ganlib/runs/...`), so a disconnect
# loses nothing: after one, reconnect, set `RESUME = True` too and run the notebook again.

# %% tags=["parameters"]
STEPS = 3000
BATCH_SIZE = 64
SEED = 0
RUN_DIR = "runs/dcgan"
HPARAMS = {}  # hyperparameters other than the model's defaults, e.g. {"g_lr": 2e-4, "ema": 0} (`gan.config` lists them)
RESUME = False
ON_DRIVE = False  # on Colab: keep the runs on your Google Drive

# %%
if ON_DRIVE:
    RUN_DIR = ganlib.on_drive(RUN_DIR)

# %% [markdown]
# Which devices train. Without a GPU the defaults still fit a CPU in minutes; on Colab, *Runtime > Change
# runtime type > GPU* gives you one (then raise the steps). `ganlib.get_strategy()` mirrors the training over
# all GPUs when there are two or more and uses the default (single-device) strategy otherwise. Everything that owns variables is created inside `strategy.scope()`.

# %% tags=["nbval-ignore-output"]
strategy = ganlib.get_strategy()
print(f"{ganlib.describe_devices()}; {strategy.num_replicas_in_sync} replica(s)")

# %% [markdown]
# ## Data
#
# `load_images` reads the file named by the environment variable `GANLIB_MNIST` if it is set
# (an `.npz` in Keras' `mnist.npz` layout), and otherwise downloads MNIST through Keras.
# `load_images("fashion_mnist")`, or a folder of your own images in one subfolder per class, trains on
# other data (README, "Your own data").
# Pixels are `uint8` in $[0, 255]$; the generator ends in $\tanh$, so the training pipeline
# scales them to $[-1, 1]$: $x \mapsto (x - 127.5) / 127.5$.
#
# The committed run trained on the offline subset of MNIST our machines use (`GANLIB_MNIST`: 5,000 training
# digits, 500 a class, and the full 10,000 test digits). On Colab, or anywhere online without `GANLIB_MNIST`,
# Keras downloads all 60,000 training digits: the same steps then see more distinct digits.

# %%
(x_train, y_train), (x_test, y_test) = ganlib.load_images()
assert x_train.shape[1:] == (28, 28) and x_train.dtype == np.uint8
print("pixels:", x_train.dtype, x_train.min(), "to", x_train.max(), "-> scaled:", ganlib.scale(x_train[:1]).numpy().min(), "to", ganlib.scale(x_train[:1]).numpy().max())

# %% tags=["nbval-ignore-output"]
print(f"{len(x_train)} training digits, {len(x_test)} test digits")

# %%
pick = np.random.default_rng(0).choice(len(x_train), 100, replace=False)
ganlib.plots.show_grid(ganlib.scale(x_train[pick]), title="real training digits")
plt.show()

# %% [markdown]
# ## Objective
#
# $D$ outputs the probability that its input is real. The two networks play the minimax game
#
# $$\min_G \max_D V(D, G) = \mathbb{E}_{x \sim p_\text{data}}\big[\log D(x)\big] + \mathbb{E}_{z \sim p_z}\big[\log\big(1 - D(G(z))\big)\big].$$
#
# For a fixed $G$ the best discriminator is $D^*(x) = \frac{p_\text{data}(x)}{p_\text{data}(x) + p_g(x)}$,
# and at the optimum of the game $p_g = p_\text{data}$ and $D^* = \tfrac12$ everywhere.
#
# **Discriminator loss.** $D$ maximises $V$, i.e. minimises the binary cross-entropy
#
# $$L_D = -\mathbb{E}_{x}\big[\log D(x)\big] - \mathbb{E}_{z}\big[\log\big(1 - D(G(z))\big)\big].$$
#
# **Generator loss.** Minimising $\mathbb{E}_z[\log(1 - D(G(z)))]$ as written *saturates*: early
# in training $D$ rejects the fakes easily, $D(G(z)) \approx 0$, and with $D = \sigma(\ell)$ the
# gradient with respect to the logit, $\partial_\ell \log(1 - \sigma(\ell)) = -\sigma(\ell) = -D$, vanishes. The
# *non-saturating* loss has the same fixed point but a gradient $-(1 - D) \approx -1$ exactly there:
#
# $$L_G = -\mathbb{E}_{z}\big[\log D(G(z))\big].$$
#
# The networks output the logit $\ell$, not $D = \sigma(\ell)$: the losses apply the sigmoid inside a
# numerically stable cross-entropy (`tf.nn.sigmoid_cross_entropy_with_logits`), one value per
# example. The train step averages them over the global batch.

# %%
logits = tf.constant([0.0, 0.0])  # D = 1/2: a discriminator that cannot tell
print("L_D at D = 1/2:", ganlib.losses.gan_d_loss(logits, logits).numpy(), " 2 log 2 =", round(2 * np.log(2), 6))
print("L_G at D = 1/2:", ganlib.losses.gan_g_loss(logits).numpy(), " log 2 =", round(np.log(2), 6))

# %% [markdown]
# In `ganlib` the model puts the networks and the losses together; this is all of DCGAN's
# objective:

# %%
import inspect

print(inspect.getsource(ganlib.models.DCGAN.d_loss) + "\n" + inspect.getsource(ganlib.models.DCGAN.g_loss))

# %% [markdown]
# ## Networks
#
# The generator maps $z \in \mathbb{R}^{64}$ to a $7 \times 7$ feature map and doubles the
# resolution twice with $5 \times 5$ transposed convolutions, $7 \to 14 \to 28$, ending in $\tanh$;
# between the two, a $3 \times 3$ convolution at $14 \times 14$ refines the strokes. Batch
# normalisation (synchronised across replicas, so that training does not depend on the number of
# GPUs) and ReLU between layers. The discriminator mirrors it: $5 \times 5$ strided convolutions
# $28 \to 14 \to 7$ with LeakyReLU(0.2), then a dense layer of 1,024 units (batch norm, LeakyReLU) that sees the
# whole $7 \times 7$ feature map, and one logit. Both are deliberately small
# (`width=32` channels) so that they train in minutes on a CPU. Here they are, as `ganlib` builds them
# (`ganlib/models/dcgan.py`):

# %%
print(inspect.getsource(ganlib.models.dcgan.build_generator))
print(inspect.getsource(ganlib.models.dcgan.build_discriminator))

# %% [markdown]
# The model builds both networks and its optimisers from its hyperparameters (`gan.config`); their layers and
# parameter counts:

# %%
keras.utils.set_random_seed(SEED)  # initial weights, too: the same SEED gives the same run
with strategy.scope():
    gan = ganlib.models.DCGAN(**HPARAMS)
print(gan.config)
gan.generator.summary()
gan.discriminator.summary()

# %%
z = gan.sample_latent(16, tf.constant([0, 0], tf.int64))
fake = gan.generator(z, training=False)
logit = gan.discriminator(fake, training=False)
assert z.shape == (16, 64)
assert fake.shape == (16, 28, 28, 1)
assert logit.shape == (16, 1)
assert float(tf.reduce_max(tf.abs(fake))) <= 1.0
print(z.shape, "->", fake.shape, "->", logit.shape)

# %% [markdown]
# Before training, every $z$ gives a flat grey square (pixels within about $\pm 0.14$ of 0, mid-grey): this is where
# the run starts.

# %%
ganlib.plots.show_grid(fake, cols=8, title="the untrained generator")
plt.show()

# %% [markdown]
# ## Training
#
# One training step *alternates*: a discriminator update on a real batch and a fake batch, then a generator
# update against the **updated** discriminator, with fresh noise. Here is that step in full, for one device, in
# the style of the Keras and TensorFlow DCGAN tutorials: two gradient tapes, and the two losses above written
# with Keras' binary cross-entropy on logits (real digits labelled 1 and fakes 0 for $L_D$; the generator's
# non-saturating $L_G$ labels its fakes 1). With the imports and the data of the cells above, the next three cells
# train a DCGAN in an empty notebook.

# %%
generator = ganlib.models.dcgan.build_generator()  # 64 numbers -> a 28x28x1 image in [-1, 1]
discriminator = ganlib.models.dcgan.build_discriminator(hidden=1024)  # an image -> one logit
g_optimizer = keras.optimizers.Adam(1e-3, beta_1=0.5)
d_optimizer = keras.optimizers.Adam(2e-4, beta_1=0.5)
noise = tf.random.Generator.from_seed(SEED)
cross_entropy = keras.losses.BinaryCrossentropy(from_logits=True)

# %%
@tf.function
def train_step(real):
    n = tf.shape(real)[0]
    with tf.GradientTape() as tape:  # D: real digits are 1, fakes 0
        fake = generator(noise.normal((n, 64)), training=True)
        real_logit, fake_logit = discriminator(real, training=True), discriminator(fake, training=True)
        d_loss = cross_entropy(tf.ones_like(real_logit), real_logit) + cross_entropy(tf.zeros_like(fake_logit), fake_logit)
    d_optimizer.apply_gradients(zip(tape.gradient(d_loss, discriminator.trainable_variables), discriminator.trainable_variables))
    with tf.GradientTape() as tape:  # G: fresh noise, against the updated D, its fakes labelled 1
        fake_logit = discriminator(generator(noise.normal((n, 64)), training=True), training=True)
        g_loss = cross_entropy(tf.ones_like(fake_logit), fake_logit)
    g_optimizer.apply_gradients(zip(tape.gradient(g_loss, generator.trainable_variables), generator.trainable_variables))
    return d_loss, g_loss


# %% tags=["nbval-ignore-output"]
dataset = tf.data.Dataset.from_tensor_slices(ganlib.scale(x_train)).shuffle(len(x_train), seed=SEED).batch(BATCH_SIZE, drop_remainder=True)
for epoch in range(1, 4):
    for real in dataset:
        d_loss, g_loss = train_step(real)
    print(f"epoch {epoch}: L_D {float(d_loss):.3f}, L_G {float(g_loss):.3f}")
ganlib.plots.show_grid(generator(noise.normal((100, 64)), training=False), title="after 3 epochs of train_step")
plt.show()

# %% [markdown]
# Three epochs (234 steps) are not enough here: the generator still draws a checkerboard texture, the pattern
# transposed convolutions leave before they have learnt (Odena et al. 2016, *Deconvolution and Checkerboard
# Artifacts*), and no strokes yet. The run below trains for 3,000 steps and draws digits by its 14th epoch (the
# grids under *Samples over training*). It uses
# `ganlib.make_train_step`, which is this step with three additions. It runs under `tf.distribute`: each replica
# computes its share of the global batch, the losses are averaged over the global batch
# (`tf.nn.compute_average_loss`) and the gradients summed across replicas, so the update is the same on 1 or 8
# GPUs. It takes the losses from the model (`gan.d_loss`, `gan.g_loss`, printed above), so that one step serves
# every notebook. And after the generator's update it updates the generator's moving average (below). From the
# same weights, optimiser state and noise the two give the same losses and weights (a test of the
# project checks it). Its source is `make_train_step` in
# `ganlib/step.py`, the page that holds the algorithm.

# %% [markdown]
# ## Four departures from the paper, and what they buy
#
# The DCGAN paper trains both networks with Adam at $2 \cdot 10^{-4}$, $\beta_1 = 0.5$. This run
# changes four things, each measured on this CPU with `benchmarks/time_to_quality.py` (seed 0,
# 5,000 samples against the 10,000 test digits; Fréchet distance through the project's classifier,
# real-data floor 3.1). The first two were measured after 150 s of training with an earlier, smaller
# version of the networks ($4 \times 4$ kernels, no $14 \times 14$ convolution):
#
# - **Two time-scale update rule** (TTUR, Heusel et al. 2017): the two players may learn at
#   different rates. The generator's Adam runs at $10^{-3}$ (`g_lr`), five times the
#   discriminator's $2 \cdot 10^{-4}$ (`d_lr`), as InfoGAN's authors also did. Fréchet distance
#   after 150 s: 61.5 with the paper's rates, 39.3 with this one. Raising D's rate instead
#   (`d_lr=4e-4`) gave 44.2, and $2 \cdot 10^{-3}$ for G 40.0.
# - **A moving average of the generator's weights** (Yazıcı et al. 2019). After every generator
#   step $t$ a second copy of the generator follows the trained one,
#
#   $$\bar\theta_G \leftarrow \beta_t\, \bar\theta_G + (1 - \beta_t)\, \theta_G, \qquad \beta_t = \min\!\Big(\beta, \frac{1 + t}{10 + t}\Big), \quad \beta = 0.999,$$
#
#   (the warm-up $\beta_t$ of `tf.train.ExponentialMovingAverage`, so the random initial weights are
#   soon forgotten). Training never reads the average; it draws the grids, the samples and the saved
#   generator, smoothing out the last few hundred steps' oscillation. 37.2 with it, 39.3 without. (Below
#   $t = 8{,}991$ the warm-up, not $\beta$, sets the decay: after $t$ steps the average spans about the last $t / 9$.)
#
# - **The networks' size.** With both of the above, after 120 s of training: 40.3 with the earlier
#   networks; $5 \times 5$ kernels in both networks (the paper's code used $5 \times 5$) 34.5; the
#   extra $3 \times 3$ convolution in the generator 35.1; both **21.4**, although each step costs
#   about 40% more (4,209 steps in the 120 s instead of 5,847). The kernels mattered in the
#   discriminator (30.8 with $5 \times 5$ there only, 41.9 in the generator only). Dropout in the
#   discriminator, the TF tutorial's choice, made it worse (54.0).
# - **A dense layer in the discriminator.** With all of the above, a third of the digits were still malformed:
#   precision (`06_compare`) 0.51 after 1,500 steps and 0.54 after 4,500, with recall 0.83-0.87. InfoGAN's
#   authors put a 1,024-unit dense layer before the discriminator's output (Chen et al. 2016); here it is that
#   layer that removes them (`benchmarks/probe_dcgan_variants.py`, 5,000 samples: FCD / precision / recall):
#   19.98 / 0.72 / 0.72 after 1,500 steps, 7.55 / 0.74 / 0.80 after 3,000, and over three seeds at 3,000 steps
#   6.89 ± 0.88 / 0.749 ± 0.013 / 0.790 ± 0.011. A step costs 1.75 of one without it, so the default run is 3,000
#   steps, the time 5,300 steps without it take. More of what we had was not the same: twice the channels in
#   the convolutions gave precision 0.52 after 1,500 steps, a third strided convolution to $4 \times 4$ 0.64 after
#   3,000; a layer that sees the whole digit at once is what helps.
#
# The first two and the last are hyperparameters of the model: `DCGAN(g_lr=2e-4, ema=0, d_hidden=0)` (or
# `python -m ganlib train dcgan --set g_lr=2e-4 --set ema=0 --set d_hidden=0`) is the paper's DCGAN again, its
# networks' kernels aside. Every setting of a model is in
# `gan.config`, printed above, and in the run's `run.json`.

# %% [markdown]
# TensorBoard shows the losses and the sample grids while the run trains, beside the runs set aside
# before it (start it before the training cell; it works in Jupyter and on Colab):

# %% tags=["nbval-skip"]
import os

# %load_ext tensorboard
# %tensorboard --logdir {os.path.dirname(RUN_DIR)}

# %% [markdown]
# `ganlib.fit` runs the step and keeps the run directory: the loss history, a sample grid (always
# from the same 100 latent vectors) after every epoch, a checkpoint every 500 steps and at the
# end, TensorBoard logs (`tensorboard --logdir runs`), and at the end the generator, a GIF and the
# loss plot. It runs up to 100 steps in one compiled call (a `tf.while_loop` around the step), so
# Python does not stand between two steps, and reads the losses once a call. It stops with a clear
# error if a loss becomes NaN, keeping the last good checkpoint. The loop is `ganlib/train.py`; what it
# keeps on disk, and how a run is read back, is `ganlib/rundir.py`. The last line's fingerprint names the code and
# settings that made this run (`01_vanilla_gan` says what it hashes).

# %% tags=["nbval-ignore-output"]
if not RESUME:
    ganlib.set_aside(RUN_DIR)
start = time.time()
history = ganlib.fit(gan, x_train, RUN_DIR, steps=STEPS, batch_size=BATCH_SIZE, seed=SEED, resume=RESUME, strategy=strategy, verbose=2)
print(f"{int(history['step'][-1])} steps in {time.time() - start:.0f} s; fingerprint {ganlib.fingerprint(gan, STEPS, BATCH_SIZE, SEED)}")

# %% [markdown]
# ## Samples over training
#
# The same 100 latent vectors after the first epoch, a third and two thirds of the way, and at the end.

# %%
ganlib.plots.show_progress(RUN_DIR)
plt.show()

# %%
ganlib.plots.show_images([f"{RUN_DIR}/samples.png"], ["after training"], size=7)
plt.show()

# %% [markdown]
# Every epoch's grid, as an animation:

# %% tags=["nbval-ignore-output"]
Image(filename=f"{RUN_DIR}/training.gif")

# %% [markdown]
# ## Loss curves
#
# How to read GAN losses:
#
# - They do **not** fall to zero and they do not measure sample quality: each network's loss
#   is measured against an opponent that keeps changing. Judge quality from the samples (and, in
#   `06_compare`, from metrics).
# - Reference points: a discriminator that cannot tell ($D = \frac{1}{2}$) has $L_D = 2 \log 2 \approx 1.39$
#   and $L_G = \log 2 \approx 0.69$. Healthy DCGAN training hovers around there, with $L_D$ somewhat
#   below and $L_G$ somewhat above: the discriminator keeps a small edge.
# - $L_D \to 0$ with $L_G$ climbing steadily: the discriminator has won and the generator's
#   gradients carry little information; samples stop improving.
# - A sudden drop of $L_G$ with samples that all look alike: mode collapse.
# - NaN: divergence; `fit` stops and keeps the last good checkpoint.

# %%
ganlib.plots.plot_history(history, references={r"$2 \log 2$: $L_D$ at $D = \frac{1}{2}$": 2 * np.log(2), r"$\log 2$: $L_G$ at $D = \frac{1}{2}$": np.log(2)})
plt.show()

# %% [markdown]
# ## In numbers
#
# This run measured as in `06_compare` (the formulas are there): as many generated digits as training digits against the
# 10,000 test digits, through the project's classifier (trained once, cached under `runs/`). When the notebook
# trains in full, the next cell also checks what this run must have learned: FCD at most 15, precision and recall at least 0.65, all ten digits. With other settings (a "Try this") a miss is
# printed, not raised: the bounds are the defaults'.

# %% tags=["nbval-ignore-output"]
clf = classifier.get_classifier(x_train, y_train)
reference = evaluate.embed_reference(clf, x_test)
rows = {name: evaluate.evaluate_model(model, clf, reference, evaluate.sample_size(x_train)) for name, model in (("DCGAN", gan),)}
print(evaluate.table(rows))

# %% tags=["nbval-ignore-output"]
for r in rows.values():
    evaluate.check(r, RUN_DIR, fcd=15, precision=0.65, recall=0.65, classes=10)

# %% [markdown]
# ## Restoring a checkpoint
#
# The checkpoints hold both networks, the generator's average and both optimisers (and with them
# the step counter), so a run continues exactly where it stopped: `ganlib.fit(..., resume=True)` in a notebook, or
# `python -m ganlib train dcgan --resume` on the command line. Here we restore the last one into
# a fresh model and check that it draws the same digits as the model we trained.

# %%
with strategy.scope():
    restored = ganlib.models.DCGAN(**HPARAMS)
step = ganlib.restore(restored, RUN_DIR)
assert step == int(history["step"][-1])
np.testing.assert_allclose(restored.generate(100, seed=(7, 7)), gan.generate(100, seed=(7, 7)), atol=1e-5)
print("the restored model draws the same digits as the trained one")

# %% [markdown]
# ## Generating from the saved generator
#
# The generator alone (its moving average) is saved as a Keras file: all you need to draw new
# digits, on any machine.
# `python -m ganlib sample runs/dcgan --n 100 --out digits.npz` does the same from the command line.

# %%
generator = keras.models.load_model(f"{RUN_DIR}/generator.keras")
z = keras.random.normal((100, 64), seed=keras.random.SeedGenerator(42))
digits = generator(z, training=False)
assert digits.shape == (100, 28, 28, 1)
ganlib.plots.show_grid(digits, title="100 new digits from the saved generator")
plt.show()

# %% [markdown]
# ## Walking between two digits
#
# A straight line between two latent vectors $z_0, z_1$ passes through vectors the generator rarely saw: in 64
# dimensions a Gaussian $z$ has a norm close to $\sqrt{64} = 8$, while the midpoint of two independent ones has a
# norm close to $8 / \sqrt 2 \approx 5.7$. *Spherical* interpolation (White 2016, "Sampling generative networks")
# follows the great circle between them instead, and keeps the norm:
#
# $$\operatorname{slerp}(z_0, z_1; t) = \frac{\sin\big((1 - t)\,\Omega\big)}{\sin \Omega}\, z_0 + \frac{\sin(t\,\Omega)}{\sin \Omega}\, z_1, \qquad \cos \Omega = \frac{z_0 \cdot z_1}{\lVert z_0 \rVert\, \lVert z_1 \rVert}.$$

# %%
def slerp(z0, z1, t):
    """Spherical interpolation from z0 (t = 0) to z1 (t = 1) along the great circle."""
    omega = np.arccos(np.clip(np.dot(z0, z1) / (np.linalg.norm(z0) * np.linalg.norm(z1)), -1.0, 1.0))
    return (np.sin((1 - t) * omega) * z0 + np.sin(t * omega) * z1) / np.sin(omega)


ends = np.random.default_rng(SEED).normal(size=(10, 2, 64)).astype("float32")  # 10 pairs (z0, z1)
t = np.linspace(0, 1, 10)
path = np.stack([slerp(z0, z1, s) for z0, z1 in ends for s in t])
np.testing.assert_allclose(path[0], ends[0, 0], atol=1e-5)  # t = 0 is z0, t = 1 is z1
np.testing.assert_allclose(path[9], ends[0, 1], atol=1e-5)
print(f"norms at the midpoint of the first pair: straight line {np.linalg.norm(ends[0].mean(0)):.2f}, slerp {np.linalg.norm(slerp(*ends[0], 0.5)):.2f}; the ends {np.linalg.norm(ends[0, 0]):.2f} and {np.linalg.norm(ends[0, 1]):.2f}")
ganlib.plots.show_grid(generator(path, training=False), title="each row: slerp from one z to another")
plt.show()

# %% [markdown]
# Each row morphs one digit into another through shapes that are digits, or nearly, most of the way: the
# generator's output changes smoothly with $z$, the sign that it did not memorise single training images.

# %% [markdown]
# ## Try this
#
# 1. Remove batch norm from the discriminator (`build_discriminator(hidden=1024, norm=None)` in the copyable cells, or
#    `ganlib.models.dcgan.build_discriminator`): do the samples after 3 epochs still improve, and does $L_D$ fall
#    towards 0?
# 2. Train with the paper's settings, `HPARAMS = {"g_lr": 2e-4, "ema": 0, "d_hidden": 0}` in the settings (or
#    `python -m ganlib train dcgan --set g_lr=2e-4 --set ema=0 --set d_hidden=0`), and compare FCD, precision and
#    recall with this run's. Then `{"d_hidden": 0}` alone: how many malformed digits come back?
# 3. In `train_step`, use the *saturating* generator loss, $\log(1 - D(G(z)))$: `g_loss = -cross_entropy(tf.zeros_like(fake_logit), fake_logit)`.
#    Watch the first epochs: does the generator learn at all?
# 4. Interpolate linearly instead of spherically in the last section: do the midpoints look fainter or blurrier?
#
# ## Next steps
#
# - `03_lsgan` keeps these networks, changes the loss and trains on clusters of the digits (self-conditioning); `04_wgan` changes the loss and the discriminator's job.
# - Papers: Radford, Metz & Chintala, *Unsupervised Representation Learning with Deep Convolutional GANs* (2016);
#   Heusel et al., *GANs Trained by a Two Time-Scale Update Rule* (2017); Yazıcı et al., *The Unusual Effectiveness of
#   Averaging in GAN Training* (2019).
