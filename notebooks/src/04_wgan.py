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
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/ganlib/ganlib/blob/main/notebooks/04_wgan.ipynb)

# %%
# On Colab, install ganlib on Colab's own TensorFlow and Keras (it pins nothing over them); elsewhere
# this does nothing.
import sys

if "google.colab" in sys.modules:
    # !pip install -q "ganlib @ git+https://github.com/ganlib/ganlib"

# %% [markdown]
# # WGAN and WGAN-GP on MNIST
#
# The Wasserstein GAN (Arjovsky et al., 2017) replaces the discriminator by a **critic** $f$ that
# scores images, and trains the generator to minimise an estimate of the Wasserstein-1 (earth mover's)
# distance between the data and the generator's distribution. Unlike the losses of `02_dcgan`, the
# critic's estimate is meant to go down as the samples get better (below: how well it does here). The critic must be 1-Lipschitz: WGAN clips
# its weights, WGAN-GP (Gulrajani et al., 2017) penalises its gradient instead. This notebook trains
# both, on DCGAN's networks, and both, as `03_lsgan`'s LSGAN, trained on clusters of the digits
# (*self-conditioning*, below), which removes most of their malformed digits.
#
# About 7 minutes on a 2-core CPU for both runs (8.5 for the committed run, on a machine running 1.3 times slower than usual).

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
# The settings of these runs. A step is one critic update; the generator is updated every second
# step. On a GPU, raise `STEPS` and `GP_STEPS` (and `BATCH_SIZE`). Re-running the notebook starts fresh runs,
# keeping the previous ones
# beside them, `.1` (then `.2`, ...) added to their names; set `RESUME = True` to continue them instead.
# On Colab, `ON_DRIVE = True` keeps them on your Google Drive (`MyDrive/ganlib/runs/...`), so a disconnect
# loses nothing: after one, reconnect, set `RESUME = True` too and run the notebook again.

# %% tags=["parameters"]
STEPS = 8500  # WGAN (a penalised step costs about 1.5 clipped ones)
GP_STEPS = 6000  # WGAN-GP
BATCH_SIZE = 64
SEED = 0
RUN_DIR = "runs/wgan"
GP_DIR = "runs/wgan-gp"
HPARAMS = {}  # WGAN's hyperparameters other than its defaults, e.g. {"clusters": 0} (`wgan.config` lists them)
GP_HPARAMS = {}  # WGAN-GP's, e.g. {"n_critic": 5} (`wgan_gp.config`)
RESUME = False
ON_DRIVE = False  # on Colab: keep the runs on your Google Drive

# %%
if ON_DRIVE:
    RUN_DIR, GP_DIR = ganlib.on_drive(RUN_DIR), ganlib.on_drive(GP_DIR)

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
# MNIST from the file named by `GANLIB_MNIST`, or Keras' download, scaled from $[0, 255]$ to $[-1, 1]$.
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
# By the Kantorovich-Rubinstein duality, the Wasserstein-1 distance is
#
# $$W(p_\text{data}, p_g) = \sup_{\lVert f \rVert_L \le 1} \; \mathbb{E}_{x \sim p_\text{data}}\big[f(x)\big] - \mathbb{E}_{z \sim p_z}\big[f(G(z))\big],$$
#
# a supremum over 1-Lipschitz functions $f$. The critic approximates that $f$; so it **minimises**
#
# $$L_D = \mathbb{E}_{z}\big[f(G(z))\big] - \mathbb{E}_{x}\big[f(x)\big],$$
#
# and $-L_D$ is its estimate of $W$ (logged as `wasserstein`). The generator minimises
# $L_G = -\mathbb{E}_{z}\big[f(G(z))\big]$. The critic has no sigmoid and there is no log: the score is a
# number, not a probability. Two changes from DCGAN follow: the critic is trained more than the
# generator (the paper: $n_\text{critic} = 5$ updates per generator update, so its estimate is close to the
# supremum; we use 2, see below), and $f$ has to be kept Lipschitz.
#
# **WGAN: weight clipping.** After every critic update each weight is clipped to $[-c, c]$, $c = 0.01$, which
# bounds the Lipschitz constant (crudely). The paper trains both networks with RMSprop (momentum-based
# optimisers were unstable with clipping) at learning rate $5 \cdot 10^{-5}$. RMSprop keeps a running mean
# of squared gradients, $v \leftarrow \rho v + (1 - \rho) g^2$, and steps $w \leftarrow w - \eta\, g / (\sqrt{v} + \epsilon)$ with
# $\rho = 0.99$, $\epsilon = 10^{-8}$ in the authors' (PyTorch) code. Keras' `RMSprop` divides by $\sqrt{v + \epsilon}$
# instead, which floors the denominator at $10^{-4}$ and slows a clipped critic's small gradients;
# `ganlib.models.wgan.TorchRMSprop` is the authors' rule.
#
# **WGAN-GP: gradient penalty.** A 1-Lipschitz $f$ has gradient norm at most 1 everywhere; the optimal critic
# has norm 1 on the lines between real and generated points. So instead of clipping, add
#
# $$L_D^\text{GP} = L_D + \lambda\, \mathbb{E}_{\hat x}\Big[\big(\lVert \nabla_{\hat x} f(\hat x) \rVert_2 - 1\big)^2\Big], \qquad
# \hat x = \alpha x + (1 - \alpha)\, G(z), \quad \alpha \sim U[0, 1] \text{ per example},$$
#
# with $\lambda = 10$, and Adam(learning rate $10^{-4}$, $\beta_1 = 0.5$, $\beta_2 = 0.9$). The penalty is per example, so the
# critic must not use batch norm (which mixes the examples of a batch): it uses layer norm instead.
# The weights $\alpha$ are drawn with each batch from the run's seed (`WGANGP.sample_d`), like the noise: the same
# seed gives the same run, a resumed run draws the same $\alpha$, and replicas split them with the batch.
#
# Our defaults depart from both papers' settings (the learning rates, $n_\text{critic} = 2$, and the changes
# below); why, measured, is under *Why these settings*, after the samples.
#
# The penalty, checked on a critic whose gradient we know: $f(x) = \langle w, x \rangle$ has
# $\nabla f = w$ everywhere, so the penalty is $(\lVert w \rVert - 1)^2$ for every $\alpha$.

# %%
w = tf.fill((1, 28, 28, 1), 3.0 / 28)  # |w| = 3
linear_critic = lambda x, training: tf.reduce_sum(x * w, axis=[1, 2, 3])  # noqa: E731
real, fake = tf.random.normal((4, 28, 28, 1), seed=1), tf.random.normal((4, 28, 28, 1), seed=2)
penalty = ganlib.losses.gradient_penalty(linear_critic, real, fake, tf.constant([0.0, 0.3, 0.7, 1.0]))
np.testing.assert_allclose(penalty, 4.0, rtol=1e-5)
print("penalty of a critic with |grad f| = 3:", penalty.numpy(), "= (3 - 1)^2")

# %% [markdown]
# In `ganlib`, the penalty (`ganlib/losses.py`): one gradient of the critic's score with respect to its input,
# taken on the mixed images, its norm per example, and the squared distance of that norm from 1:

# %%
print(inspect.getsource(ganlib.losses.gradient_penalty))

# %% [markdown]
# and the critics' losses:

# %%
print(inspect.getsource(ganlib.models.WGAN.d_loss) + "\n" + inspect.getsource(ganlib.models.WGANGP.d_loss))

# %% [markdown]
# ## Self-conditioning, and two more changes
#
# A clipped critic is a weak judge: at this budget the unconditional WGAN drew about half of its digits off the
# manifold (precision 0.45 to 0.48 at 5,000 samples, against 0.87 for real digits: `06_compare`'s formulas), and
# the unconditional WGAN-GP not much fewer (0.53). As `03_lsgan`'s LSGAN, both train as conditional models on
# clusters of the training digits, **self-conditioning** (Liu et al. 2020, *Diverse Image Generation via
# Self-Conditioned GANs*); no label is used anywhere:
#
# - before training, k-means on the pixels ($K = 50$ for WGAN, $100$ for WGAN-GP; k-means++ start, 30 iterations, seed 0) gives each training
#   digit $x$ a cluster $k(x)$; cluster $j$ holds a share $\pi_j$ of them;
# - the generator's latent is $[z \mid \text{onehot}(j)]$ with $z \sim \mathcal N(0, I)$ and $j \sim \text{Cat}(\pi)$;
# - the critic is a projection critic (Miyato & Koyama 2018, `08_conditional`'s): $f(x, j) = w^\top \phi(x) + e_j^\top
#   \phi(x)$, $\phi$ DCGAN's convolutions, $e_j$ a learned vector a cluster; for WGAN every weight, the $e_j$ too,
#   clipped to $[-c, c]$, for WGAN-GP $\phi$ in layer norm;
# - the losses are WGAN's, each image scored with its cluster:
#   $L_D = \mathbb{E}_{z, j}\big[f(G(z, j), j)\big] - \mathbb{E}_{x}\big[f(x, k(x))\big]$,
#   $L_G = -\mathbb{E}_{z, j}\big[f(G(z, j), j)\big]$ (the `real_scores` and `fake_scores` in the losses above);
#   WGAN-GP's penalty scores each mixed image with its real digit's cluster,
#   $\lambda\, \mathbb{E}\big[(\lVert \nabla_{\hat x} f(\hat x, k(x)) \rVert_2 - 1)^2\big]$, $\hat x = \alpha x + (1 - \alpha)\, G(z, j)$
#   (the critic is then 1-Lipschitz in the image for each cluster).
#
# Two more: the samples come from a **moving average of the generator's weights** (decay 0.9995 for WGAN and 0.999
# for WGAN-GP, Yazıcı et al. 2019; in runs this short its warm-up, $\beta_t = \min(0.9995, \frac{1 + t}{10 + t})$
# after generator update $t$, stays below 0.998, so the two decays train the same runs), and WGAN's are drawn at a
# **reduced temperature** (Kingma & Dhariwal 2018): the noise scaled, $z \to T z$ with
# $T = 0.9$, the cluster kept, which trades a little variety for fewer malformed digits (WGAN-GP draws as trained,
# $T = 1$: its recall has less to spare). Training and the progress
# grids use $z$ as drawn. Each is switchable: `HPARAMS = {"clusters": 0, "ema": 0.0, "temperature": 1.0}` is the
# unconditional WGAN (with our optimiser), `GP_HPARAMS = {"clusters": 0, "ema": 0.0, "d_lr": 2e-4}` the unconditional
# WGAN-GP (the critic's faster rate came with the clusters, below). What each bought is under *Why these settings*.
# The temperature, in `ganlib/models/selfcond.py`:

# %%
print(inspect.getsource(ganlib.models.selfcond.SelfConditioned.draw))

# %% [markdown]
# ## Networks
#
# DCGAN's generator, and DCGAN's discriminator as the critic with a linear score, with the clusters in its
# projection form (above): with batch norm for WGAN (as in the paper's DCGAN critic), with layer norm for WGAN-GP.
# Every WGAN critic variable, batch norm's scale and offset and the cluster vectors included, carries a `Clip(0.01)`
# constraint, which Keras applies after every optimiser update. The critics leave out DCGAN's dense 1,024-unit layer (`02_dcgan`; `d_hidden=0`): with it,
# WGAN-GP's digits were no cleaner (precision 0.51 after 6,000 critic steps, against this run's 0.48 without; FCD 40.6, recall 0.83,
# `benchmarks/probe_dcgan_variants.py "wgan-gp-dd"`) at about twice the step's cost.

# %%
keras.utils.set_random_seed(SEED)  # initial weights, too: the same SEED gives the same run
with strategy.scope():
    wgan = ganlib.models.WGAN(**HPARAMS)
    wgan_gp = ganlib.models.WGANGP(**GP_HPARAMS)
wgan.discriminator.summary()
wgan_gp.discriminator.summary()

# %%
for model in (wgan, wgan_gp):
    z = model.sample_latent(16, tf.constant([0, 0], tf.int64))
    fake = model.generator(z, training=False)
    score = model.discriminator([fake, model.cluster_of(z)] if model.clusters else fake)  # each fake with its cluster
    assert z.shape == (16, 64 + model.clusters) and fake.shape == (16, 28, 28, 1) and score.shape == (16, 1)
    print(f"{model.name}: {z.shape} -> {fake.shape} -> {score.shape}")
assert all(v.constraint is not None for v in wgan.discriminator.trainable_variables)

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
# `ganlib.fit` runs the usual train step, updating the generator only every `n_critic = 2` steps. Written
# as `02_dcgan`'s copyable `train_step`, for one device, the clipped WGAN without clusters is these two cells: DCGAN's networks (the
# discriminator's output now a score, the critic's), the paper's RMSprop (no momentum; it reports Adam unstable
# here) at this notebook's rates, and a step in which three lines change: the critic's loss has no logarithm, its
# weights are clipped after its update, and the generator is updated on every second call only.

# %%
generator = ganlib.models.dcgan.build_generator()  # 64 numbers -> a 28x28x1 image in [-1, 1]
critic = ganlib.models.dcgan.build_discriminator(name="critic")  # an image -> a score (no sigmoid, no logarithm)
# RMSprop as PyTorch computes it, the paper's code's (Keras' own puts epsilon inside the square root, which stalls
# a clipped critic's small gradients; see `ganlib/models/wgan.py`)
g_optimizer = ganlib.models.wgan.TorchRMSprop(5e-4, rho=0.99, epsilon=1e-8)
d_optimizer = ganlib.models.wgan.TorchRMSprop(2e-4, rho=0.99, epsilon=1e-8)
g_optimizer.build(generator.trainable_variables)  # their state now: the step traces twice (with and without G's update)
d_optimizer.build(critic.trainable_variables)
noise = tf.random.Generator.from_seed(SEED)


# %%
@tf.function
def train_step(real, update_generator):
    n = tf.shape(real)[0]
    with tf.GradientTape() as tape:  # critic: score the real digits high, the fakes low
        fake = generator(noise.normal((n, 64)), training=True)
        real_score, fake_score = critic(real, training=True), critic(fake, training=True)
        d_loss = tf.reduce_mean(fake_score) - tf.reduce_mean(real_score)
    d_optimizer.apply_gradients(zip(tape.gradient(d_loss, critic.trainable_variables), critic.trainable_variables))
    for w in critic.trainable_variables:  # keep the critic K-Lipschitz: every weight in [-c, c]
        w.assign(tf.clip_by_value(w, -0.01, 0.01))
    if update_generator:  # every n_critic-th call (a Python bool: one traced graph each way)
        with tf.GradientTape() as tape:
            g_loss = -tf.reduce_mean(critic(generator(noise.normal((n, 64)), training=True), training=True))
        g_optimizer.apply_gradients(zip(tape.gradient(g_loss, generator.trainable_variables), generator.trainable_variables))
    return d_loss


# %% [markdown]
# `train_step(real, update_generator=(step % 2 == 0))` on each batch trains it. `ganlib`'s step is this one, run
# under `tf.distribute` like 02's; its critic clips through a Keras weight constraint, which the optimiser applies
# after each update. From the same weights, optimiser state and
# noise the two give the same losses and weights as `WGAN(clusters=0)` (a test of the project checks it); with the
# clusters, each batch also carries its digits' clusters, and the critic scores `[images, clusters]`. WGAN first:

# %% tags=["nbval-ignore-output"]
if not RESUME:
    ganlib.set_aside(RUN_DIR)
    ganlib.set_aside(GP_DIR)
start = time.time()
history = ganlib.fit(wgan, x_train, RUN_DIR, steps=STEPS, batch_size=BATCH_SIZE, seed=SEED, resume=RESUME, strategy=strategy, verbose=2)
print(f"WGAN: {int(history['step'][-1])} steps in {time.time() - start:.0f} s; fingerprint {ganlib.fingerprint(wgan, STEPS, BATCH_SIZE, SEED)}")

# %%
for v in wgan.discriminator.trainable_variables:
    assert np.abs(v.numpy()).max() <= wgan.clip + 1e-7
print("every critic weight is within [-0.01, 0.01]")

# %% [markdown]
# Then WGAN-GP, on about the same training time: 6,000 critic steps (3,000 generator updates) against the clipped
# WGAN's 8,500, since a penalised step costs about 1.5 clipped ones; the same seed for the batches and the noise:

# %% tags=["nbval-ignore-output"]
start = time.time()
gp_history = ganlib.fit(wgan_gp, x_train, GP_DIR, steps=GP_STEPS, batch_size=BATCH_SIZE, seed=SEED, resume=RESUME, strategy=strategy, verbose=2)
print(f"WGAN-GP: {int(gp_history['step'][-1])} steps in {time.time() - start:.0f} s; fingerprint {ganlib.fingerprint(wgan_gp, GP_STEPS, BATCH_SIZE, SEED)}")

# %% [markdown]
# ## Samples over training
#
# The same 100 latent vectors through training: WGAN (top), WGAN-GP (bottom).

# %%
ganlib.plots.show_progress(RUN_DIR)
plt.suptitle("WGAN (weight clipping)")
ganlib.plots.show_progress(GP_DIR)
plt.suptitle("WGAN-GP")
plt.show()

# %%
ganlib.plots.show_images([f"{RUN_DIR}/samples.png", f"{GP_DIR}/samples.png"], ["WGAN", "WGAN-GP"], size=6)
plt.show()

# %% [markdown]
# Both draw digits: WGAN after 4,250 generator updates, WGAN-GP after 3,000. Measured as every model in
# `06_compare` (seed 0, 5,000 samples; the table below, and `06_compare`, which evaluates these two runs): WGAN a
# Fréchet distance of 7.75 with 94.4% of its digits recognised confidently, precision 0.767 and recall 0.759 (drawn
# at $0.9 z$; the grids above are drawn as trained), WGAN-GP 4.51 and 91.8%, precision 0.756 and recall 0.784, all
# ten classes each: a few malformed digits in each hundred (about five to eight in WGAN-GP's). WGAN-GP is built after
# WGAN from the same seed, so it starts from other initial weights than `python -m ganlib train wgan-gp` (4.60, 0.768
# and 0.769 from the command line's start, README's "WGAN-GP self-conditioned: adopted"), which shows how far a start
# alone moves these numbers. At the paper's
# settings, clipped WGAN drew broken strokes at this budget (202 after 160 s of training, the table below):
# clipping leaves the critic a weak function (most weights end at $\pm 0.01$), and with RMSprop at
# $5 \cdot 10^{-5}$ and five critic steps a generator step the generator hardly moves in a few minutes. The
# recipe here spends the budget on the generator instead; the critic is still clipped after every update.

# %% tags=["nbval-ignore-output"]
Image(filename=f"{GP_DIR}/training.gif")

# %% [markdown]
# ## Why these settings
#
# At the paper's settings and a CPU budget, clipped WGAN draws
# broken strokes. `benchmarks/time_to_quality.py` (seed 0; Fréchet distance through the project's
# classifier on 5,000 samples, real-data floor 3.1; "confident": share of samples the classifier
# recognises with probability $\ge 0.9$, real digits 97.8%) traced where the budget goes:
#
# | recipe | training | critic steps | FCD | confident |
# | --- | --- | --- | --- | --- |
# | WGAN, the paper's: RMSprop $5 \cdot 10^{-5}$, $n_\text{critic} = 5$ | 160 s | 7,875 | 201.9 | 43.7% |
# | WGAN, both at $2 \cdot 10^{-4}$ | 160 s | 8,683 | 96.5 | 54.6% |
# | WGAN, both at $5 \cdot 10^{-4}$ | 200 s | 10,087 | 93.0 | 53.9% |
# | WGAN, both at $2 \cdot 10^{-4}$, generator's average 0.999 | 160 s | 7,538 | 104.5 | 53.6% |
# | WGAN, both at $2 \cdot 10^{-4}$, $n_\text{critic} = 2$ | 200 s | 8,683 | 56.6 | 64.5% |
# | same, generator's average 0.995 | 220 s | 9,254 | 55.1 | 63.6% |
# | **WGAN, generator $5 \cdot 10^{-4}$, critic $2 \cdot 10^{-4}$, $n_\text{critic} = 2$ (default)** | 220 s | 9,176 | **29.7** | 71.5% |
# | WGAN-GP, the paper's: Adam $10^{-4}$, $n_\text{critic} = 5$ | 160 s | 4,705 | 91.8 | 56.4% |
# | WGAN-GP, both at $2 \cdot 10^{-4}$ | 200 s | 6,577 | 41.5 | 67.2% |
# | **WGAN-GP, $n_\text{critic} = 2$ (default)** | 200 s | 5,769 | **37.0** | 67.9% |
#
# The critic still gets more updates than the generator, and it is still clipped (or penalised): a faster
# generator (the two time-scale update rule, Heusel et al. 2017) and fewer critic steps a generator step spend
# the budget on the generator, which is what a CPU budget of minutes lacks. Any row reruns with
# `python benchmarks/time_to_quality.py RECIPE --budget SECONDS`, e.g. the paper's WGAN beside that default:
# `python benchmarks/time_to_quality.py "wgan --set g_lr=5e-5 --set d_lr=5e-5 --set n_critic=5 --set clusters=0 --set
# ema=0 --set temperature=1" "wgan --set clusters=0 --set ema=0 --set temperature=1" --budget 220` (the WGAN rows above
# are the unconditional model, and the last WGAN-GP row learned at $10^{-4}$).
#
# Those settings drew recognisable digits, but about half of them malformed: precision 0.45 for WGAN and 0.48 for
# WGAN-GP at 5,000 samples, against 0.87 for real digits. What moved it (FCD / precision / recall, 5,000 samples, the
# mean of seeds 0, 1 and 2 unless a seed is named; README, "Self-conditioning carried to the other models", "The
# closest WGAN found", "WGAN self-conditioned: adopted", "More WGAN-GP leads" and "WGAN-GP self-conditioned:
# adopted", with the commands):
#
# | recipe | critic steps | FCD | precision | recall |
# | --- | --- | --- | --- | --- |
# | WGAN, unconditional (the default above), seed 0 | 8,000 | 32.2 | 0.449 | 0.888 |
# | self-conditioned on 25 clusters, seed 0 | 6,914 | 7.52 | 0.629 | 0.868 |
# | the same with the generator's average (0.9995; 0.999 is the same at this length) | 10,000 | 5.40 | 0.699 | 0.834 |
# | 50 clusters, average 0.9995 | 10,000 | 5.72 | 0.745 | 0.807 |
# | the same, 8,500 critic steps (to fit the 240-s budget), as trained | 8,500 | 5.51 | 0.739 | 0.812 |
# | the same at $0.95 z$ | 8,500 | 6.55 | 0.752 | 0.791 |
# | **the same at $0.9 z$ (default)** | 8,500 | **8.08** | **0.767** | **0.764** |
# | WGAN-GP, Adam $10^{-4}$ (the last row above) | 6,000 | 34.08 | 0.497 | 0.841 |
# | WGAN-GP, Adam $2 \cdot 10^{-4}$ for both (unconditional) | 6,000 | 20.75 | 0.527 | 0.868 |
# | WGAN-GP self-conditioned on 50 clusters, average 0.999, Adam $2 \cdot 10^{-4}$ for both | 6,000 | 9.31 | 0.713 | 0.749 |
# | the same on 100 clusters | 6,000 | 9.77 | 0.763 | 0.675 |
# | **the same with the critic at $5 \cdot 10^{-4}$ (default)** | 6,000 | **4.61** | **0.770** | **0.773** |
#
# Self-conditioning is the lever for WGAN (precision 0.45 to 0.63 on its own), the generator's average and more clusters
# add the rest, and the temperature trades 0.05 of recall for 0.03 of precision. For WGAN-GP, more clusters bought
# precision with recall (50 to 100: 0.713 to 0.763, 0.749 to 0.675), and so did a lower temperature; a critic learning
# 2.5 times as fast as the generator (the two time-scale update rule turned the other way) kept the precision and gave
# the recall back, every seed within 0.2 of FCD 4.6. The last row reruns with
# `python benchmarks/probe_truncation.py "wgan-gp-self --set clusters=100 --set ema=0.999 --set g_lr=2e-4 --set
# d_lr=5e-4" --seeds 0 1 2 --steps --budget 6000 --every 6000 --levels none` (the probe's `wgan-gp-self` is this
# notebook's WGAN-GP with other defaults).

# %% [markdown]
# ## Loss curves
#
# What to expect from *this* loss: once the critic has learned to tell the two apart (the first few hundred
# steps, when the estimate climbs), the critic's Wasserstein estimate $-L_D$ is high (the first samples are far
# from the data) and **falls** as the generator improves, so unlike the GAN losses it can be read as
# a (rough) progress measure. It is only an estimate: the scale depends on how Lipschitz the critic really
# is, so WGAN's clipped critic (Lipschitz constant far below 1) reports much smaller values than WGAN-GP's,
# and the two curves are not comparable with each other. The generator loss $L_G = -\mathbb{E}[f(G(z))]$ on
# its own has no meaning (the critic's scores can drift by a constant).
#
# In this run (the first 20 steps left out: they come from the random critic, before clipping has acted)
# WGAN-GP's estimate (its mean over 50 steps) climbs to about 22 within 120 steps, falls to about 3.7 by step 1,000 and
# 2.6 by step 2,000, and ends between 0.7 and 1.8 (single batches scatter by about 6): there it is the progress
# measure the paper promises, for the first third of the run. The clipped critic's is not, at this budget: ten thousand times smaller, about 0 for
# the first 1,000 steps, it *rises* to a peak near 0.003 around step 1,750 while the samples improve, then drifts
# down to about 0.0005-0.001, by less than its single-batch values scatter (their standard deviation over the
# last 1,000 steps: 0.0013). Read it as a check that the critic tells
# real from generated at all, not as a measure of how good the samples are.

# %%
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
for ax, h, title in ((left, history, "WGAN"), (right, gp_history, "WGAN-GP")):
    first = min(20, len(h["step"]) - 1)  # the first estimates come from the random, not yet clipped, critic
    step, w = h["step"][first:], h["wasserstein"][first:]
    ax.plot(step, w, alpha=0.3, lw=0.8, label="each step's batch")
    k = min(50, len(step))
    ax.plot(step[k - 1 :], np.convolve(w, np.ones(k) / k, mode="valid"), lw=2, label=f"mean of the last {k} steps")
    ax.set(xlabel="step", ylabel="critic's estimate of W", title=title)
    ax.legend()
plt.show()

# %%
ganlib.plots.plot_history({k: v for k, v in gp_history.items() if k in ("step", "gradient_penalty")})
plt.title("WGAN-GP: gradient penalty (without the factor 10)")
plt.show()

# %% [markdown]
# ## In numbers
#
# Both runs measured as in `06_compare` (the formulas are there): as many generated digits as training digits against the
# 10,000 test digits, through the project's classifier (trained once, cached under `runs/`). When the notebook
# trains in full, the next cell also checks what both runs must have learned: FCD at most 15, precision and recall
# at least 0.68, all ten digits, for each. With other settings (a "Try this") a miss is
# printed, not raised: the bounds are the defaults'.

# %% tags=["nbval-ignore-output"]
clf = classifier.get_classifier(x_train, y_train)
reference = evaluate.embed_reference(clf, x_test)
rows = {name: evaluate.evaluate_model(model, clf, reference, evaluate.sample_size(x_train)) for name, model in (("WGAN", wgan), ("WGAN-GP", wgan_gp))}
print(evaluate.table(rows))

# %% tags=["nbval-ignore-output"]
for r, run_dir in zip(rows.values(), (RUN_DIR, GP_DIR)):
    evaluate.check(r, run_dir, fcd=15, precision=0.68, recall=0.68, classes=10)

# %% [markdown]
# ## Restoring a checkpoint
#
# `ganlib.fit(..., resume=True)` or `python -m ganlib train wgan-gp --resume` continues a run. Restored into a
# fresh model, the last checkpoint draws the same digits as the model we trained.

# %%
with strategy.scope():
    restored = ganlib.models.WGANGP(**GP_HPARAMS)
step = ganlib.restore(restored, GP_DIR)
assert step == int(gp_history["step"][-1])
np.testing.assert_allclose(restored.generate(100, seed=(7, 7)), wgan_gp.generate(100, seed=(7, 7)), atol=1e-5)
print("the restored model draws the same digits as the trained one")

# %% [markdown]
# ## Generating from the saved generator
#
# The generator alone is saved as a Keras file; its latent is 64 noise values and a cluster's one-hot code, the
# cluster drawn by the shares the run's `run.json` keeps (`cluster_sizes`).
# `python -m ganlib sample runs/wgan-gp --n 100 --out digits.npz` does the same from the command line.

# %%
generator = keras.models.load_model(f"{GP_DIR}/generator.keras")
z = keras.random.normal((100, 64), seed=keras.random.SeedGenerator(42))
sizes = ganlib.read_run(GP_DIR)["cluster_sizes"]  # None without clusters
if sizes:  # each digit's cluster, drawn by the clusters' shares of the training digits
    j = np.random.default_rng(42).choice(len(sizes), 100, p=np.array(sizes) / sum(sizes))
    z = np.concatenate([z, np.eye(len(sizes))[j]], axis=1)
digits = generator(z, training=False)
assert digits.shape == (100, 28, 28, 1)
ganlib.plots.show_grid(digits, title="100 new digits from WGAN-GP's saved generator")
plt.show()

# %% [markdown]
# ## Try this
#
# 1. Clip at 0.1 instead of 0.01 (`HPARAMS = {"clip": 0.1}`): the critic's weights reach the clip less often. Watch
#    the critic's loss and the samples: does the critic still estimate a distance?
# 2. Switch self-conditioning off (`HPARAMS = {"clusters": 0, "ema": 0.0, "temperature": 1.0}`, the unconditional
#    WGAN; `GP_HPARAMS = {"clusters": 0, "ema": 0.0, "d_lr": 2e-4}`, WGAN-GP's): count the malformed digits in the grids and compare precision. Then draw the trained model at other
#    temperatures (build `ganlib.models.WGAN(temperature=0.7)`, `ganlib.restore` it from `RUN_DIR` and measure it as in
#    *In numbers*): where does recall fall below 0.75?
# 3. Give WGAN-GP's critic batch norm instead of layer norm (a subclass of `WGANGP` whose `build_discriminator` returns
#    `ganlib.models.wgan.build_projection_critic(self.width, self.clusters, norm="batch")`): the penalty is per
#    example, and batch norm mixes the examples. Does FCD suffer?
# 4. Set WGAN-GP's `n_critic` to 5 (the paper's; `GP_HPARAMS = {"n_critic": 5}`) at the same number of critic steps: fewer generator updates. Compare FCD.
# 5. Give the clipped WGAN Adam instead of RMSprop (a subclass whose `build_optimizers` returns two
#    `keras.optimizers.Adam(1e-4, beta_1=0.5)`): the paper reports momentum unstable for it. Is it here?
#
# ## Next steps
#
# - `05_infogan` returns to the non-saturating loss and adds a code the generator must make readable.
# - Papers: Arjovsky, Chintala & Bottou, *Wasserstein GAN* (2017); Gulrajani et al., *Improved Training of
#   Wasserstein GANs* (2017).
