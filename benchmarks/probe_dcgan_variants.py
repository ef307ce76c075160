"""Issue 27's probes: DCGAN variants, registered as models for ``time_to_quality.py`` (not ganlib's models).

    python benchmarks/probe_dcgan_variants.py "dcgan-dense" "dcgan-dense --set d_hidden=0" --steps --budget 1500 \
        --every 1500

The dense layer before D's output that these probes found is ganlib's ``d_hidden`` now (DCGAN's default, 1,024;
0 for LSGAN, WGAN and WGAN-GP, where ``--set d_hidden=1024`` probes it), so "dcgan --set d_hidden=0" is the
all-convolutional discriminator the first probes started from.

dcgan-dense    DCGAN with a dense hidden layer (BN, ReLU) before the 7x7 layer in G too (``hidden``; 0: none)
dcgan-wide     a wider discriminator: ``d_width`` channels in its convolutions (the generator keeps ``width``)
               (measured with ``d_hidden=0``)
MODEL-decay    dcgan, lsgan, wgan-gp with both learning rates decayed linearly to 0 over the last ``decay`` share
               of ``run_steps`` (``with_decay``)
dcgan-deep     the all-convolutional D with a third strided convolution (7x7 -> 4x4, 4 * width channels, ``d_kernel``)
dcgan-ema      DCGAN whose generator average warms up as (1 + t) / (``ema_k`` + t) (``with_ema_warmup``)
dcgan-beta     Adam's betas (``b1``, ``b2``), e.g. (0.0, 0.99) as later GANs use
dcgan-sn       spectral normalisation (Miyato et al. 2018) on D's layers, no batch norm
MODEL-cr       dcgan, lsgan with consistency regularisation (Zhang et al. 2020): ``cr`` (D(x) - D(T(x)))^2 on real x,
               T a random shift of up to ``cr_shift`` pixels (``with_cr``)
MODEL-r1       dcgan, lsgan with R1 (Mescheder et al. 2018): r1/2 E||grad_x D(x)||^2 on real x (``with_r1``)
MODEL-joint    dcgan, lsgan whose D step reads reals and fakes in one batch (one set of batch-norm statistics);
               ``joint_g=1``: the G step too, with the D step's reals (its batch norm then sees what all fakes share);
               ``joint_d=0``: not the D step; ``joint_until=N``: only for the first N steps (0: always)
dcgan-norm     DCGAN whose D normalises with ``d_norm``: 1 layer norm, 0 none (batch norm: dcgan itself)
MODEL-dark     dcgan, lsgan whose generator starts drawing near black: its output layer's bias starts at ``g_bias``
               (tanh(-1.5) = -0.905; MNIST is mostly black background)
infogan-g      InfoGAN whose generator's dense layer has ``g_hidden`` units (0: none; the discriminator keeps ``hidden``),
               for its recall: DCGAN's generator lost recall with that layer (0.79 -> 0.70); the continuous codes'
               term times ``cont_weight`` (1: the authors'; the reimplementations use 0.1)
infogan-c      infogan-g with Q's category made consistent on real digits under T (``consistency``)
infogan-q      InfoGAN whose Q reads real digits through a moving average of D's weights (``q_ema``): ganlib's
               InfoGAN since this probe (training is unchanged, so its run is the default's)
vanilla-drop   vanilla with dropout (``drop``) after each hidden layer of D, as Goodfellow et al. 2014's D had
vanilla-bn     vanilla whose generator has batch norm after each hidden dense layer (``g_bn``; 0: none), as many MLP
               GAN reimplementations have (e.g. eriklindernoren/PyTorch-GAN's gan.py), for its recall
vanilla-mbstd  vanilla whose D appends the minibatch standard deviation (Karras et al. 2018, ProGAN) to its last
               hidden layer's features: one number, the features' spread over the batch, so a batch of fakes too
               alike is told apart by it (``mbstd``; 0: off), for its recall; ``g_bn=1``: vanilla-bn's generator too
vanilla-pac    vanilla whose D judges ``pac`` digits at once, all real or all fake (PacGAN, Lin et al. 2018: a packed
               discriminator sees a batch's lack of variety), for its recall; ``pac=1`` is vanilla
vanilla-cr     ``with_cr`` on vanilla (R1 on vanilla is ganlib's own now: ``--set r1=...``)
The vanilla probes were measured before vanilla's own R1 and its discriminator at 1e-3: each overrides vanilla's
``d_loss`` (vanilla-drop, vanilla-bn and vanilla-mbstd do not: they get R1), so ``--set r1=0 --set d_lr=2e-4``
repeats them as measured (``--set d_lr=2e-4`` for vanilla-pac and vanilla-cr).
The closing note of the session that wrote it holds the measured table.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import keras  # noqa: E402
import tensorflow as tf  # noqa: E402
from keras import layers  # noqa: E402

from ganlib import losses  # noqa: E402
from ganlib.models import MODELS, base  # noqa: E402
from ganlib.models.dcgan import DCGAN, build_discriminator, build_generator  # noqa: E402
from ganlib.models.infogan import InfoGAN, augment  # noqa: E402
from ganlib.models.vanilla import VanillaGAN  # noqa: E402


class Wide(DCGAN):
    name = "dcgan-wide"
    HPARAMS = DCGAN.HPARAMS | {"d_width": 64}

    def build_discriminator(self):
        return build_discriminator(self.d_width, hidden=self.d_hidden)  # measured with d_hidden=0


class Deep(DCGAN):
    """A third strided convolution in D, 7x7 -> 4x4 with ``4 * width`` channels (batch norm, LeakyReLU 0.2), before
    the logit: all-convolutional, as DCGAN's guidelines ask, and a view of the whole digit."""

    name = "dcgan-deep"
    HPARAMS = DCGAN.HPARAMS | {"d_kernel": 5}

    def build_discriminator(self):
        d = build_discriminator(self.width)
        third = [
            layers.Conv2D(4 * self.width, self.d_kernel, strides=2, padding="same", use_bias=False),
            layers.BatchNormalization(synchronized=True),
            layers.LeakyReLU(0.2),
        ]
        return keras.Sequential(
            [keras.Input((28, 28, 1)), *d.layers[:-2], *third, layers.Flatten(), layers.Dense(1)],
            name="discriminator",
        )


def with_r1(cls, pair):
    """``cls`` with R1 (Mescheder et al. 2018) added to its discriminator loss ``pair(real_out, fake_out)``:
    ``r1 / 2 * ||grad_x D(x)||^2`` on the real batch, from the same forward pass of D on it."""

    class WithR1(cls):
        name = f"{cls.name}-r1"
        HPARAMS = cls.HPARAMS | {"r1": 0.1}

        def d_loss(self, real, z):
            with tf.GradientTape() as tape:
                tape.watch(real)
                real_out = self.discriminator(real, training=True)
            grad = tape.gradient(real_out, real)  # of the sum of D's outputs
            fake_out = self.discriminator(self.generator(z, training=True), training=True)
            return pair(real_out, fake_out) + 0.5 * self.r1 * tf.reduce_sum(tf.square(grad), axis=[1, 2, 3])

    return WithR1


def with_cr(cls, pair):
    """``cls`` with consistency regularisation (Zhang et al. 2020, "Consistency Regularization for GANs") added to its
    discriminator loss ``pair(real_out, fake_out)``: ``cr * (D(x) - D(T(x)))^2`` on the real batch, T a random shift
    of up to ``cr_shift`` pixels in x and y (the paper's flip does not suit digits). G learns from nothing augmented."""

    class WithCR(cls):
        name = f"{cls.name}-cr"
        HPARAMS = cls.HPARAMS | {"cr": 10.0, "cr_shift": 2.0}

        def d_loss(self, real, z):
            real_out = self.discriminator(real, training=True)
            shift = tf.concat(
                [tf.zeros([tf.shape(real)[0], 2]), tf.random.uniform([tf.shape(real)[0], 2], -1, 1)], 1
            )
            shifted_out = self.discriminator(augment(real, shift, shift=self.cr_shift), training=True)
            fake_out = self.discriminator(self.generator(z, training=True), training=True)
            return pair(real_out, fake_out) + self.cr * tf.reshape(tf.square(real_out - shifted_out), [-1])

    return WithCR


def with_joint_batch(cls, pair, g_loss_of):
    """``cls`` whose discriminator step runs D once on the reals and fakes together, so its batch norm normalises
    both with the same statistics (the default runs two batches, each normalised by its own: a collapsed batch of
    fakes is stretched to unit variance)."""

    class Joint(cls):
        g_pair = staticmethod(g_loss_of)
        name = f"{cls.name}-joint"
        HPARAMS = cls.HPARAMS | {"joint_g": 0, "joint_d": 1, "joint_until": 0}

        def d_loss(self, real, z):
            self._real = real  # for g_loss, traced in the same step right after (n_critic = 1 only)

            def joint():
                fake = self.generator(z, training=True)
                out = self.discriminator(tf.concat([real, fake], 0), training=True)
                return pair(out[: tf.shape(real)[0]], out[tf.shape(real)[0] :])

            return self._joint_or_apart(
                self.joint_d, self.d_optimizer, joint, lambda: super(Joint, self).d_loss(real, z)
            )

        def g_loss(self, z):
            n = tf.shape(self._real)[0]

            def joint():
                out = self.discriminator(
                    tf.concat([self._real, self.generator(z, training=True)], 0), training=True
                )
                return self.g_pair(out[n:])

            return self._joint_or_apart(
                self.joint_g, self.g_optimizer, joint, lambda: super(Joint, self).g_loss(z)
            )

        def _joint_or_apart(self, on, optimizer, joint, apart):
            """``joint()`` if ``on``, for the first ``joint_until`` updates of ``optimizer`` when that is set; else
            ``apart()``, the model's own loss."""
            if not on:
                return apart()
            if not self.joint_until:
                return joint()
            return tf.cond(optimizer.iterations < self.joint_until, joint, apart)

    return Joint


class Norm(DCGAN):
    name = "dcgan-norm"
    HPARAMS = DCGAN.HPARAMS | {"d_norm": 1}

    def build_discriminator(self):
        return build_discriminator(self.width, norm="layer" if self.d_norm else None, hidden=self.d_hidden)


def with_dark_start(cls):
    """``cls`` whose generator's last layer (the tanh's) starts with its bias at ``g_bias`` in every pixel."""

    class Dark(cls):
        name = f"{cls.name}-dark"
        HPARAMS = cls.HPARAMS | {"g_bias": -1.5}

        def build_generator(self):
            g = super().build_generator()
            bias = g.layers[-1].bias
            bias.assign(tf.fill(bias.shape, self.g_bias))
            return g

    return Dark


def rebuilt(model, wrap):
    """The Sequential ``model`` rebuilt with each of its layers replaced by the list ``wrap(layer)`` returns."""
    return keras.Sequential(
        [keras.Input(model.input_shape[1:]), *(m for layer in model.layers for m in wrap(layer))],
        name=model.name,
    )


class Dropout(VanillaGAN):
    name = "vanilla-drop"
    HPARAMS = VanillaGAN.HPARAMS | {"drop": 0.3}

    def build_discriminator(self):
        """vanilla's discriminator with a dropout layer after each LeakyReLU."""
        return rebuilt(
            super().build_discriminator(),
            lambda layer: (
                [layer, layers.Dropout(self.drop)] if isinstance(layer, layers.LeakyReLU) else [layer]
            ),
        )


class BatchNormG(VanillaGAN):
    name = "vanilla-bn"
    HPARAMS = VanillaGAN.HPARAMS | {"g_bn": 1}

    def build_generator(self):
        """vanilla's generator with batch norm before each hidden LeakyReLU (``g_bn=1``)."""
        return rebuilt(
            super().build_generator(),
            lambda layer: (
                [layers.BatchNormalization(), layer]
                if self.g_bn and isinstance(layer, layers.LeakyReLU)
                else [layer]
            ),
        )


class MinibatchStd(layers.Layer):
    """Appends one feature: the mean over features of their standard deviation over the batch (Karras et al. 2018)."""

    def call(self, x):
        spread = keras.ops.mean(keras.ops.sqrt(keras.ops.var(x, axis=0) + 1e-8))
        return keras.ops.concatenate([x, keras.ops.ones_like(x[:, :1]) * spread], axis=1)


class MbStd(BatchNormG):
    name = "vanilla-mbstd"
    HPARAMS = BatchNormG.HPARAMS | {"mbstd": 1, "g_bn": 0}

    def build_discriminator(self):
        """vanilla's discriminator with the minibatch standard deviation before its logit (``mbstd=1``)."""
        plain = super().build_discriminator().layers
        head = [MinibatchStd()] if self.mbstd else []
        return keras.Sequential(
            [keras.Input((28, 28, 1)), *plain[:-1], *head, layers.Dense(1)], name="discriminator"
        )


class Pac(VanillaGAN):
    name = "vanilla-pac"
    HPARAMS = VanillaGAN.HPARAMS | {"pac": 2}

    def build_discriminator(self):
        """vanilla's discriminator on ``pac`` digits stacked as channels (its first layer sees all their pixels)."""
        fresh = [
            type(layer).from_config(layer.get_config()) for layer in super().build_discriminator().layers
        ]
        return keras.Sequential([keras.Input((28, 28, self.pac)), *fresh], name="discriminator")

    def packed(self, images):
        """D's logits of ``images`` packed ``pac`` at a time, each repeated ``pac`` times: one per image, as the loss wants."""
        x = tf.reshape(images, [-1, self.pac, 28, 28])
        return tf.repeat(self.discriminator(tf.transpose(x, [0, 2, 3, 1]), training=True), self.pac, axis=0)

    def d_loss(self, real, z):
        return losses.gan_d_loss(self.packed(real), self.packed(self.generator(z, training=True)))

    def g_loss(self, z):
        return losses.gan_g_loss(self.packed(self.generator(z, training=True)))


class Beta(DCGAN):
    name = "dcgan-beta"
    HPARAMS = DCGAN.HPARAMS | {"b1": 0.5, "b2": 0.999}

    def build_optimizers(self):
        adam = lambda lr: keras.optimizers.Adam(lr, beta_1=self.b1, beta_2=self.b2)
        return adam(self.g_lr), adam(self.d_lr)


class SN(DCGAN):
    name = "dcgan-sn"

    def build_discriminator(self):
        sn, w = layers.SpectralNormalization, self.width
        return keras.Sequential(
            [
                keras.Input((28, 28, 1)),
                sn(layers.Conv2D(w, 5, strides=2, padding="same")),
                layers.LeakyReLU(0.2),
                sn(layers.Conv2D(2 * w, 5, strides=2, padding="same")),
                layers.LeakyReLU(0.2),
                layers.Flatten(),
                sn(layers.Dense(1)),
            ],
            name="discriminator",
        )


class LinearDecay(keras.optimizers.schedules.LearningRateSchedule):
    """``lr`` until update ``start``, then linearly to 0 at update ``end`` (an optimizer counts its own updates)."""

    def __init__(self, lr, start, end):
        self.lr, self.start, self.end = lr, float(start), float(end)

    def __call__(self, step):
        left = (self.end - tf.cast(step, tf.float32)) / (self.end - self.start)
        return self.lr * tf.clip_by_value(left, 0.0, 1.0)

    def get_config(self):
        return {"lr": self.lr, "start": self.start, "end": self.end}


def with_decay(cls):
    """``cls`` with both learning rates decayed linearly to 0 over the last ``decay`` share of ``run_steps`` steps
    (the generator's over its own updates: every ``n_critic``-th step)."""

    class Decay(cls):
        name = f"{cls.name}-decay"
        HPARAMS = cls.HPARAMS | {"decay": 0.5, "run_steps": 3000}

        def build_optimizers(self):
            g_opt, d_opt = super().build_optimizers()
            for opt, updates in ((g_opt, self.run_steps / self.n_critic), (d_opt, self.run_steps)):
                opt._learning_rate = LinearDecay(
                    float(opt.learning_rate), (1 - self.decay) * updates, updates
                )
            return g_opt, d_opt

    return Decay


def with_ema_warmup(cls):
    """``cls`` whose generator average warms up as ``(1 + t) / (ema_k + t)`` instead of ganlib's ``(1 + t) / (10 + t)``:
    below ``t = (10 * ema - 1) / (1 - ema)`` steps (8,991 at 0.999) that warm-up, not ``ema``, sets the decay, and the
    average spans about ``t / (ema_k - 1)`` steps; a smaller ``ema_k`` averages longer."""

    class Warmup(cls):
        name = f"{cls.name}-ema"
        HPARAMS = cls.HPARAMS | {"ema_k": 4.0}

        def update_ema(self):
            t = tf.cast(self.g_optimizer.iterations, tf.float32)
            beta = tf.minimum(self.ema, (1.0 + t) / (self.ema_k + t))
            for avg, w in zip(self.ema_generator.weights, self.generator.weights):
                avg.assign(beta * avg + (1.0 - beta) * tf.cast(w, avg.dtype))

    return Warmup


class Dense(DCGAN):
    """DCGAN (whose discriminator has the dense layer, ``d_hidden``) with a ``hidden``-unit dense layer in G too
    (before its 7x7 layer), as InfoGAN's networks."""

    name = "dcgan-dense"
    HPARAMS = DCGAN.HPARAMS | {"hidden": 1024}

    def build_generator(self):
        return build_generator(self.latent_dim, self.width, hidden=self.hidden)


class InfoGANG(InfoGAN):
    """InfoGAN as these probes measured it first: ganlib's (no dense layer in G, ``g_hidden=0``) with the authors'
    equal weights (``cont_weight=1``) and InfoGAN's earlier 20-degree T."""

    name = "infogan-g"
    HPARAMS = InfoGAN.HPARAMS | {"cont_weight": 1.0, "rotation": 20.0}


class InfoGANC(InfoGANG):
    """``infogan-g`` with Q's category made consistent on real digits too (after Elastic-InfoGAN, Ojha et al. 2020,
    which makes it invariant on reals with a contrastive loss; here the consistency form of UDA, Xie et al. 2020):
    D's loss adds ``consistency`` times the cross-entropy of Q's category of T(x) against Q's (fixed) category
    distribution of x, for each real digit x, T the same random transformation as the fakes'. No label is used."""

    name = "infogan-c"
    HPARAMS = InfoGANG.HPARAMS | {"consistency": 1.0}

    def d_loss(self, real, latent):  # InfoGAN's, plus the consistency term on the reals
        z, params = latent
        fake = self.generator(z, training=True)
        real_logit, q_real = self.discriminator(real, training=True)
        fake_logit, q, q_augmented = self.read(fake, params)
        info = self.info_loss(z, q, q_augmented)
        q_moved = self.discriminator(augment(real, params, self.rotation), training=True)[1][
            :, : self.categories
        ]
        target = tf.stop_gradient(tf.nn.softmax(q_real[:, : self.categories]))
        consistency = losses.categorical_nll(target, q_moved)
        loss = (
            losses.gan_d_loss(real_logit, fake_logit)
            + self.info_weight * info
            + self.consistency * consistency
        )
        return {"d_loss": loss, "info": info, "consistency": consistency}


class InfoGANQ(InfoGAN):
    """The probe of Q read through a moving average of the discriminator's weights, adopted: ganlib's InfoGAN
    (``q_ema=0.999``) under the name README's commands give it. The probe's own copy of the average (the same formula
    and warm-up) measured README's rows; ganlib's gave seed 0's 95.3% again in 05_infogan's committed run."""

    name = "infogan-q"


base.RANGES["hidden"] = (lambda v: v >= 0, ">= 0 (0: none)")
base.RANGES["decay"] = (lambda v: 0 < v <= 1, "in (0, 1]")
base.RANGES["b1"] = (lambda v: 0 <= v < 1, "in [0, 1)")
for model in (
    Dense,
    InfoGANG,
    InfoGANC,
    InfoGANQ,
    Wide,
    Deep,
    Beta,
    SN,
    Dropout,
    BatchNormG,
    MbStd,
    Norm,
    Pac,
):
    MODELS[model.name] = model


class PlainLSGAN(MODELS["lsgan"]):
    """LSGAN as these probes measured it: unconditional, with DCGAN's average (LSGAN's defaults before
    self-conditioning, ``--set clusters=0 --set ema=0.999``), which the ``lsgan-*`` wrappers below wrap."""

    HPARAMS = MODELS["lsgan"].HPARAMS | {"clusters": 0, "ema": 0.999}


for name, cls in (("dcgan", DCGAN), ("lsgan", PlainLSGAN), ("wgan-gp", MODELS["wgan-gp"])):
    MODELS[f"{name}-decay"] = with_decay(cls)
MODELS["dcgan-ema"] = with_ema_warmup(DCGAN)
MODELS["dcgan-r1"] = with_r1(DCGAN, losses.gan_d_loss)
MODELS["lsgan-r1"] = with_r1(PlainLSGAN, losses.lsgan_d_loss)
MODELS["dcgan-cr"] = with_cr(DCGAN, losses.gan_d_loss)
MODELS["lsgan-cr"] = with_cr(PlainLSGAN, losses.lsgan_d_loss)
MODELS["vanilla-cr"] = with_cr(VanillaGAN, losses.gan_d_loss)
MODELS["dcgan-joint"] = with_joint_batch(DCGAN, losses.gan_d_loss, losses.gan_g_loss)
MODELS["lsgan-joint"] = with_joint_batch(PlainLSGAN, losses.lsgan_d_loss, losses.lsgan_g_loss)
MODELS["dcgan-dark"] = with_dark_start(DCGAN)
MODELS["lsgan-dark"] = with_dark_start(PlainLSGAN)
base.RANGES["cr"] = base.RANGES["cr_shift"] = (lambda v: v >= 0, ">= 0")
base.RANGES["g_bias"] = (lambda v: True, "any number")
base.RANGES["joint_g"] = base.RANGES["joint_d"] = (lambda v: v in (0, 1), "0 or 1")
base.RANGES["joint_until"] = (lambda v: v >= 0, ">= 0 (0: always)")
base.RANGES["d_norm"] = (lambda v: v in (0, 1), "0 or 1")
base.RANGES["g_bn"] = base.RANGES["mbstd"] = (lambda v: v in (0, 1), "0 or 1")
base.RANGES["drop"] = (lambda v: 0 <= v < 1, "in [0, 1)")
base.RANGES["pac"] = (lambda v: v >= 1, ">= 1 (it must divide the batch)")
base.RANGES["ema_k"] = (lambda v: v > 1, "> 1")
base.RANGES["g_hidden"] = (lambda v: v >= 0, ">= 0 (0: none)")

if __name__ == "__main__":
    import time_to_quality

    time_to_quality.main(sys.argv[1:])
