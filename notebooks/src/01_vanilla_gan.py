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
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/ganlib/ganlib/blob/main/notebooks/01_vanilla_gan.ipynb)

# %%
# On Colab, install ganlib on Colab's own TensorFlow and Keras (it pins nothing over them); elsewhere
# this does nothing.
import sys

if "google.colab" in sys.modules:
    # !pip install -q "ganlib @ git+https://github.com/ganlib/ganlib"

# %% [markdown]
# # Vanilla GAN on MNIST
#
# The GAN of the original paper (Goodfellow et al., 2014): a generator $G$ and a discriminator $D$,
# both multilayer perceptrons, on flattened $28 \times 28 = 784$-pixel images. The paper gives two
# losses for the generator: the *minimax* one that the theory is about, and the *non-saturating*
# one that is used in practice. This notebook shows when and why the first one stalls, measures it,
# and trains both side by side.
#
# Sections as in every model notebook: objective, networks, training, samples over training,
# loss curves, restoring a checkpoint, generating from the saved generator. About 3 minutes on a
# 2-core CPU for both runs.

# %% [markdown]
# ## Setup

# %% tags=["nbval-ignore-output"]
import ganlib

ganlib.quiet_tensorflow()  # hides TensorFlow's C++ start-up lines; set TF_CPP_MIN_LOG_LEVEL=0 (or GANLIB_VERBOSE_TF=1) to see them
import inspect
import time

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from IPython.display import Image

from ganlib import classifier, evaluate

# %% [markdown]
# The settings of this run. On a GPU, raise `STEPS` (and `BATCH_SIZE`). Re-running the notebook
# starts fresh runs in `RUN_DIR` and `MINIMAX_DIR`, keeping the previous ones
# beside them, `.1` (then `.2`, ...) added to their names; set `RESUME = True`
# to continue them instead.
# On Colab, `ON_DRIVE = True` keeps them on your Google Drive (`MyDrive/ganlib/runs/...`), so a disconnect
# loses nothing: after one, reconnect, set `RESUME = True` too and run the notebook again.

# %% tags=["parameters"]
STEPS = 15000
BATCH_SIZE = 64
SEED = 0
RUN_DIR = "runs/vanilla"
MINIMAX_DIR = "runs/vanilla-minimax"
HPARAMS = {}  # hyperparameters other than the model's defaults, e.g. {"ema": 0} (`gan.config` lists them)
MINIMAX_HPARAMS = {}  # the minimax model's, e.g. {"g_lr": 1e-3}
RESUME = False
ON_DRIVE = False  # on Colab: keep the runs on your Google Drive

# %%
if ON_DRIVE:
    RUN_DIR, MINIMAX_DIR = ganlib.on_drive(RUN_DIR), ganlib.on_drive(MINIMAX_DIR)

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
# MNIST from the file named by `GANLIB_MNIST`, or Keras' download. Pixels are scaled from
# $[0, 255]$ to $[-1, 1]$, the range of the generator's $\tanh$ output.
#
# The committed run trained on the offline subset of MNIST our machines use (`GANLIB_MNIST`: 5,000 training
# digits, 500 a class, and the full 10,000 test digits). On Colab, or anywhere online without `GANLIB_MNIST`,
# Keras downloads all 60,000 training digits: the same steps then see more distinct digits.

# %%
(x_train, y_train), (x_test, y_test) = ganlib.load_images()
assert x_train.shape[1:] == (28, 28) and x_train.dtype == np.uint8
print("pixels:", x_train.dtype, x_train.min(), "to", x_train.max())

# %% [markdown]
# ## Objective
#
# $$\min_G \max_D V(D, G) = \mathbb{E}_{x \sim p_\text{data}}\big[\log D(x)\big] + \mathbb{E}_{z \sim p_z}\big[\log\big(1 - D(G(z))\big)\big]$$
#
# The discriminator minimises $L_D = -\mathbb{E}_x[\log D(x)] - \mathbb{E}_z[\log(1 - D(G(z)))]$. For the
# generator there are two choices:
#
# | | generator loss | gradient with respect to the logit $\ell$, $D = \sigma(\ell)$ |
# |---|---|---|
# | minimax | $L_G^\text{mm} = \mathbb{E}_z\big[\log(1 - D(G(z)))\big]$ | $-D$ |
# | non-saturating | $L_G^\text{ns} = -\mathbb{E}_z\big[\log D(G(z))\big]$ | $-(1 - D)$ |
#
# Both push $D(G(z))$ up, and both have the same fixed point. But early in training the fakes are
# poor, $D$ rejects them, $D(G(z)) \approx 0$, and there the minimax gradient $-D$ is almost zero:
# the generator gets no signal exactly when it needs one most. The non-saturating gradient is
# largest there. The plot computes each loss with `ganlib.losses` and its gradient with a
# `GradientTape`, on top of the closed forms from the table.

# %%
d = np.linspace(0.001, 0.999, 200)
logits = tf.Variable(np.log(d / (1 - d)), dtype=tf.float32)
with tf.GradientTape(persistent=True) as tape:
    minimax = ganlib.losses.minimax_g_loss(logits)
    non_saturating = ganlib.losses.gan_g_loss(logits)
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
left.plot(d, minimax, label=r"minimax $\log(1 - D)$")
left.plot(d, non_saturating, label=r"non-saturating $-\log D$")
right.plot(d, tape.gradient(minimax, logits), label=r"minimax: $-D$")
right.plot(d, tape.gradient(non_saturating, logits), label=r"non-saturating: $-(1 - D)$")
right.plot(d, -d, "k:", lw=1)
right.plot(d, -(1 - d), "k:", lw=1, label="closed forms")
left.set(xlabel="D(G(z))", ylabel="generator loss", title="loss")
right.set(xlabel="D(G(z))", ylabel=r"$\partial L_G / \partial \ell$", title="gradient with respect to the logit")
left.legend(), right.legend()
plt.show()

# %% [markdown]
# The same effect measured on our networks: an untrained generator against a discriminator trained
# alone for four epochs (`update_g=False`; 312 steps on the 5,000 offline digits), so that it rejects the fakes. We compare the norm of the
# generator's gradient under each loss.

# %% tags=["nbval-ignore-output"]
keras.utils.set_random_seed(SEED)  # initial weights, too: the same SEED gives the same run
with strategy.scope():
    probe = ganlib.models.VanillaGAN()
d_only = ganlib.make_train_step(probe, strategy)
for epoch in range(4):
    for batch in ganlib.make_dataset(x_train, BATCH_SIZE, probe.sample_latent, seed=1, epoch=epoch):
        d_only(batch, update_g=False)
z = probe.sample_latent(256, tf.constant([5, 5], tf.int64))
print(f"D(G(z)) after {int(probe.d_optimizer.iterations)} discriminator steps: {float(tf.reduce_mean(tf.sigmoid(probe.discriminator(probe.generator(z))))):.4f}")
for name, loss in [("minimax", ganlib.losses.minimax_g_loss), ("non-saturating", ganlib.losses.gan_g_loss)]:
    with tf.GradientTape() as tape:
        value = tf.reduce_mean(loss(probe.discriminator(probe.generator(z, training=True), training=True)))
    norm = tf.linalg.global_norm(tape.gradient(value, probe.generator.trainable_variables))
    print(f"{name:>15}: generator gradient norm {float(norm):.2e}")

# %% [markdown]
# In `ganlib` the two variants differ in one method:

# %%
print(inspect.getsource(ganlib.models.VanillaGAN.g_loss) + "\n" + inspect.getsource(ganlib.models.MinimaxGAN.g_loss))

# %% [markdown]
# ## Networks
#
# Both networks are MLPs with LeakyReLU(0.2). The generator maps $z \in \mathbb{R}^{64}$ through 256 and
# 512 units to 784 pixels in $\tanh$, reshaped to an image; the discriminator flattens the image and
# maps it through 512 and 256 units to one logit. No convolutions, so every pixel is modelled
# separately: compare the samples with DCGAN's in `02_dcgan`.

# %%
keras.utils.set_random_seed(SEED)  # initial weights, too: the same SEED gives the same run
with strategy.scope():
    gan = ganlib.models.VanillaGAN(**HPARAMS)
    minimax_gan = ganlib.models.MinimaxGAN(**MINIMAX_HPARAMS)
print("non-saturating:", gan.config)
print("minimax:       ", minimax_gan.config)
gan.generator.summary()
gan.discriminator.summary()

# %%
z = gan.sample_latent(16, tf.constant([0, 0], tf.int64))
fake = gan.generator(z, training=False)
assert z.shape == (16, 64) and fake.shape == (16, 28, 28, 1)
assert gan.discriminator(fake, training=False).shape == (16, 1)
print(z.shape, "->", fake.shape, "->", gan.discriminator(fake).shape)

# %% [markdown]
# TensorBoard shows the losses and the sample grids while the run trains, beside the runs set aside
# before it (start it before the training cell; it works in Jupyter and on Colab):

# %% tags=["nbval-skip"]
import os

# %load_ext tensorboard
# %tensorboard --logdir {os.path.dirname(RUN_DIR)}

# %% [markdown]
# ## Training
#
# The same train step as every model (`ganlib.make_train_step`): a discriminator update, then a
# generator update against the updated discriminator; same seed, so both runs see the same batches
# and noise. Adam with $\beta_1 = 0.5$. Three settings are not the original paper's (it used SGD with momentum
# and no regulariser), each measured with `benchmarks/time_to_quality.py` (5,000 samples against the test digits):
#
# - samples come from a **moving average of the generator's weights** (Yazıcı et al. 2019; the
#   formula is in `02_dcgan`), for both variants (`ema=0` switches it off);
# - the non-saturating generator learns at $10^{-3}$, five times faster than its discriminator did before R1 (the
#   two time-scale update rule, Heusel et al. 2017; seed 0, 100 s of training): Fréchet distance 85.7 with
#   $2 \cdot 10^{-4}$, 78.3 with the average alone, **23.4** with both;
# - the discriminator's loss adds **R1** (Mescheder et al. 2018, *Which Training Methods for GANs do actually
#   Converge?*), a penalty on the gradient of its logit $\ell$ at the real digits:
#
# $$L_D^\text{R1} = L_D + \frac{\gamma}{2}\, \mathbb{E}_{x \sim p_\text{data}}\big[\lVert \nabla_x \ell(x) \rVert^2\big], \qquad \gamma = 1 \;(\texttt{r1}).$$
#
#   It keeps $D$ from growing steep around the training digits, which is where an MLP discriminator overfits, and
#   with it the discriminator can learn as fast as the generator, at $10^{-3}$, for both variants. Over seeds 0, 1
#   and 2 at these 15,000 steps (`python benchmarks/time_to_quality.py "vanilla" --seeds 0 1 2
#   --steps --budget 15000 --every 5000`) Fréchet distance 25.1 to **8.7**, precision 0.85 to 0.78,
#   recall 0.64 to **0.78** (seed 0 before it: 25.1 / 0.847 / 0.642); R1 alone, with the discriminator at
#   $2 \cdot 10^{-4}$, reached 12.0 and recall 0.72. `HPARAMS = {"r1": 0, "d_lr": 2e-4}` is the model before R1.
#
# The minimax generator learns at $5 \cdot 10^{-4}$: at $10^{-3}$ it stalled at once in our probe, every
# sample the same blob (one class, Fréchet distance 589.2 after 90 s: README's recipes table). That is the saturation measured
# above in action: a generator that gets ahead of itself produces fakes the discriminator rejects
# with ease, and $\log(1 - D(G(z)))$ then gives it almost no gradient to recover with. At
# $5 \cdot 10^{-4}$ it trains (26.8 after 90 s; 47.8 at $2 \cdot 10^{-4}$).
#
# Each run ends with a line naming its steps, its time and its *fingerprint* (`ganlib.fingerprint`): a hash of the
# code that trained and measures it (the model, the losses, the step, the loop, the data, the metrics) and of its
# settings. Another version of `ganlib`, or other settings, print another, so it tells which code made the outputs
# you are reading.

# %% tags=["nbval-ignore-output"]
if not RESUME:
    ganlib.set_aside(RUN_DIR)
    ganlib.set_aside(MINIMAX_DIR)
start = time.time()
history = ganlib.fit(gan, x_train, RUN_DIR, steps=STEPS, batch_size=BATCH_SIZE, seed=SEED, resume=RESUME, strategy=strategy, verbose=2)
print(f"non-saturating: {int(history['step'][-1])} steps in {time.time() - start:.0f} s; fingerprint {ganlib.fingerprint(gan, STEPS, BATCH_SIZE, SEED)}")

# %% tags=["nbval-ignore-output"]
start = time.time()
minimax_history = ganlib.fit(minimax_gan, x_train, MINIMAX_DIR, steps=STEPS, batch_size=BATCH_SIZE, seed=SEED, resume=RESUME, strategy=strategy, verbose=2)
print(f"minimax: {int(minimax_history['step'][-1])} steps in {time.time() - start:.0f} s; fingerprint {ganlib.fingerprint(minimax_gan, STEPS, BATCH_SIZE, SEED)}")

# %% [markdown]
# ## Samples over training
#
# The same 100 latent vectors through training, non-saturating (top) and minimax (bottom).

# %%
ganlib.plots.show_progress(RUN_DIR)
plt.suptitle("non-saturating")
ganlib.plots.show_progress(MINIMAX_DIR)
plt.suptitle("minimax")
plt.show()

# %%
ganlib.plots.show_images([f"{RUN_DIR}/samples.png", f"{MINIMAX_DIR}/samples.png"], ["non-saturating", "minimax"], size=6)
plt.show()

# %% tags=["nbval-ignore-output"]
Image(filename=f"{RUN_DIR}/training.gif")

# %% [markdown]
# Both variants learnt digits in our run, the minimax one at its slower rate (at $10^{-3}$ it stalled,
# see Training), against a discriminator learning twice as fast as it. That is not a contradiction of the
# measurement above: with R1 the discriminator never got far ahead of the generator. The minimax loss
# $\log(1 - D(G(z)))$ was $-0.27$ after 780 steps, i.e. $D(G(z)) \approx 0.24$, and then stayed between about
# $-0.4$ and $-0.6$ ($D(G(z)) \approx 0.34$ to $0.46$), where the minimax gradient is a third to two thirds of the
# non-saturating one (see the plot), small but not vanishing. Saturation is a hazard rather than a certainty: it
# stalls the minimax generator when the discriminator wins early (a stronger or faster-learning discriminator
# without a regulariser, several discriminator steps per generator step, or a generator that falls behind later),
# and the non-saturating loss is the safe default because it cannot stall that way.
#
# ## Loss curves
#
# What to expect from *this* loss: the non-saturating generator loss $-\log D(G(z))$ settles above
# $\log 2 \approx 0.69$ and $L_D$ below $2 \log 2 \approx 1.39$: the discriminator keeps a small edge. The
# minimax generator loss $\log(1 - D(G(z)))$ is negative; it would sit near 0 (with a vanishing gradient) if
# the discriminator rejected every fake, and near $\log \frac12 \approx -0.69$ when it cannot tell.

# %%
ganlib.plots.plot_history(history)
plt.title("non-saturating")
ganlib.plots.plot_history(minimax_history)
plt.title("minimax")
plt.show()

# %% [markdown]
# ## In numbers
#
# Both runs measured as in `06_compare` (the formulas are there): as many generated digits as training digits against the
# 10,000 test digits, through the project's classifier (trained once, cached under `runs/`). When the notebook
# trains in full, the next cell also checks what both runs must have learned: FCD at most 45 with all ten digits for each. With other settings (a "Try this") a miss is
# printed, not raised: the bounds are the defaults'.

# %% tags=["nbval-ignore-output"]
clf = classifier.get_classifier(x_train, y_train)
reference = evaluate.embed_reference(clf, x_test)
rows = {name: evaluate.evaluate_model(model, clf, reference, evaluate.sample_size(x_train)) for name, model in (("non-saturating", gan), ("minimax", minimax_gan))}
print(evaluate.table(rows))

# %% tags=["nbval-ignore-output"]
for r, run_dir in zip(rows.values(), (RUN_DIR, MINIMAX_DIR)):
    evaluate.check(r, run_dir, fcd=45, classes=10)

# %% [markdown]
# Fréchet distance 8.6 for the non-saturating loss and 12.9 for the minimax one here, at the same precision (0.78)
# and about the same recall (0.78 and 0.77); before R1 both were near 25, at precision 0.85 and recall 0.64 (README,
# "R1 for vanilla"). In the grid above about eight of the 100 digits are malformed, and the strokes carry a faint
# speckle the run before R1 did not have (an MLP draws each pixel on its own). The minimax model's initial weights are
# drawn after the non-saturating one's, from the same seed, so its run is not the command line's bit for bit (`python
# -m ganlib train vanilla-minimax` draws them from the seed alone; the same recipe drawn that way gave 13.25 there
# against 12.90 here). A gap of that size between two runs of one recipe is what one seed's number cannot resolve.

# %% [markdown]
# ## Restoring a checkpoint
#
# The checkpoints hold both networks, the generator's average and both optimisers; `ganlib.fit(..., resume=True)` or
# `python -m ganlib train vanilla --resume` continues a run. Restored into a fresh model, the last one
# draws the same digits as the model we trained.

# %%
with strategy.scope():
    restored = ganlib.models.VanillaGAN(**HPARAMS)
step = ganlib.restore(restored, RUN_DIR)
assert step == int(history["step"][-1])
np.testing.assert_allclose(restored.generate(100, seed=(7, 7)), gan.generate(100, seed=(7, 7)), atol=1e-5)
print("the restored model draws the same digits as the trained one")

# %% [markdown]
# ## Generating from the saved generator
#
# `python -m ganlib sample runs/vanilla --n 100 --out digits.npz` does the same from the command line.

# %%
generator = keras.models.load_model(f"{RUN_DIR}/generator.keras")
z = keras.random.normal((100, 64), seed=keras.random.SeedGenerator(42))
digits = generator(z, training=False)
assert digits.shape == (100, 28, 28, 1)
ganlib.plots.show_grid(digits, title="100 new digits from the saved generator")
plt.show()

# %% [markdown]
# ## Try this
#
# 1. Train the minimax generator at the non-saturating one's rate, `g_lr=1e-3` (`MINIMAX_HPARAMS = {"g_lr": 1e-3}`,
#    or `python -m ganlib train vanilla-minimax --set g_lr=1e-3`): measured here, it stalled on one class at once. Where does the loss curve show it?
# 2. Halve `STEPS`: compare FCD and the sample grid with the committed run's.
# 3. Turn the generator's moving average off (`HPARAMS = {"ema": 0}`): do the grids over training flicker more, and does FCD change?
# 4. Set `SEED = 1` and rerun: how much of what you see is this seed's?
# 5. Switch R1 off for both (`HPARAMS = {"r1": 0}`, `MINIMAX_HPARAMS = {"r1": 0}`): does the discriminator at
#    $10^{-3}$ still let the generators learn, and what happens to recall?
#
# ## Next steps
#
# - `02_dcgan` replaces both networks by convolutions and shows the train step in full.
# - Paper: Goodfellow et al., *Generative Adversarial Nets* (2014).
