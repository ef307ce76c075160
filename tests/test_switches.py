"""The GPU switches, checked on the CPU: mixed precision and XLA train every model, and their steps
match the float32 / non-XLA steps from the same weights and batches."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from helpers import batch, error_of

from ganlib import fit, make_train_step, models


@pytest.fixture
def mixed_precision():
    keras.mixed_precision.set_dtype_policy("mixed_float16")
    yield
    keras.mixed_precision.set_dtype_policy("float32")


def train_a_little(name, digits, out, generator_updates=1, **kw):
    keras.utils.set_random_seed(0)
    gan = models.get(name)()
    before = [w.copy() for w in gan.generator.get_weights() + gan.discriminator.get_weights()]
    steps = gan.n_critic * generator_updates + 1
    history = fit(gan, digits[0], str(out), steps=steps, batch_size=32, verbose=0, labels=digits[1], **kw)
    after = gan.generator.get_weights() + gan.discriminator.get_weights()
    g_losses = history["g_loss"][~np.isnan(history["g_loss"])]  # NaN marks steps without a G update
    assert np.all(np.isfinite(history["d_loss"])) and len(g_losses) >= 1 and np.all(np.isfinite(g_losses))
    changed = [not np.array_equal(a, b) for a, b in zip(before, after)]
    assert np.mean(changed) > 0.9, f"only {sum(changed)} of {len(changed)} weight tensors changed"
    return gan


@pytest.mark.parametrize("name", sorted(models.MODELS))
def test_mixed_precision_trains_every_model(name, digits, tmp_path, mixed_precision):
    # two generator updates: the dynamic loss scale starts at 2^15 and halves on each overflow, skipping that step
    # (WGAN-GP's critic at 2e-4 skipped its first three here, so three steps left it unchanged)
    gan = train_a_little(name, digits, tmp_path, generator_updates=2)
    assert isinstance(gan.g_optimizer, keras.optimizers.LossScaleOptimizer)
    assert isinstance(gan.d_optimizer, keras.optimizers.LossScaleOptimizer)
    assert any(layer.compute_dtype == "float16" for layer in gan.generator.layers)  # the maths is float16 ...
    assert gan.generate(4).dtype == tf.float32  # ... the images and the losses are float32
    if name == "wgan":
        assert max(float(tf.reduce_max(tf.abs(w))) for w in gan.d_variables) <= gan.clip + 1e-6


@pytest.mark.parametrize("name", sorted(models.MODELS))
def test_xla_trains_every_model(name, digits, tmp_path):
    train_a_little(name, digits, tmp_path, jit=True)


def test_a_mixed_precision_run_can_be_evaluated_sampled_and_resumed_only_as_such(
    digits, tmp_path, mixed_precision
):
    from ganlib import GanlibError, read_run, restore
    from ganlib.rundir import build_model, load_run

    train_a_little("dcgan", digits, tmp_path)
    keras.mixed_precision.set_dtype_policy("float32")  # a later session, in the default precision
    run = read_run(str(tmp_path))
    assert run["mixed_precision"] is True
    gan = build_model(run)
    assert restore(gan, str(tmp_path)) == 2 and isinstance(
        gan.d_optimizer, keras.optimizers.LossScaleOptimizer
    )
    assert keras.config.dtype_policy().name == "float32"  # building it left the policy alone
    assert load_run(str(tmp_path)).generate(3).shape == (3, 28, 28, 1)
    with pytest.raises(GanlibError, match="mixed_precision: run has True, asked for False"):
        keras.utils.set_random_seed(0)
        fit(models.get("dcgan")(), digits[0], str(tmp_path), steps=4, batch_size=32, resume=True, verbose=0)


def three_steps(name, jit=False):
    """Losses of three train steps (each updating the generator) from seed 0's weights on fixed batches, and
    the generator's average after them (all its weights, flattened)."""
    keras.utils.set_random_seed(0)
    gan = models.get(name)(width=8)
    for optimizer in (gan.g_optimizer, gan.d_optimizer):
        if isinstance(optimizer, keras.optimizers.LossScaleOptimizer):
            # a settled loss scale: at the initial 2**15 the first steps overflow, and the optimizer rightly
            # skips them, which would compare a skipped step with a taken one
            optimizer.dynamic_scale.assign(64.0)
    step = make_train_step(gan, jit=jit)
    losses, averages = [], []
    for k in range(3):
        metrics = step(batch(gan, 32, seed=k))
        losses.append([float(metrics[m]) for m in sorted(metrics)])
        averages.append(np.concatenate([w.ravel() for w in gan.ema_generator.get_weights()]))
    return np.array(losses), averages[2], averages[1]


@pytest.fixture(scope="module")
def float32_steps():
    return {name: three_steps(name) for name in models.MODELS}


# Stated tolerances: XLA fuses and reorders float32 maths (differences ~1e-6 in the first step); Adam and RMSprop
# magnify them where gradients are tiny, up to 4e-4 in the third step's losses (DCGAN, LSGAN; measured with
# TensorFlow's oneDNN operations off, as the suite runs). The generator's average (every weight, mean absolute
# difference) after three steps: under XLA at most 0.13 of the distance a missed third update makes (WGAN, 3.4e-4
# against 2.5e-3; 0.03-0.04 for the others), so half that distance is the bound. float16 keeps about 3 significant
# digits, and the second and third steps start from weights that already differ: up to 1e-3 (WGAN), so that bound
# only catches weights gone astray, not a single missed update.
def mean_abs_difference(a, b):
    return float(np.abs(a - b).mean())


@pytest.mark.parametrize("name", sorted(models.MODELS))
def test_xla_steps_match_the_plain_steps(name, float32_steps):
    losses, average, _ = three_steps(name, jit=True)
    plain_losses, plain_average, plain_average_after_2 = float32_steps[name]
    np.testing.assert_allclose(losses, plain_losses, rtol=1e-3, atol=1e-3)
    assert mean_abs_difference(average, plain_average) < 0.5 * mean_abs_difference(
        plain_average_after_2, plain_average
    )


@pytest.mark.parametrize("name", sorted(models.MODELS))
def test_mixed_precision_steps_match_float32_steps(name, float32_steps, mixed_precision):
    losses, average, _ = three_steps(name)
    np.testing.assert_allclose(losses, float32_steps[name][0], rtol=2e-2, atol=2e-2)
    assert mean_abs_difference(average, float32_steps[name][1]) < 3e-3


class NotCompilable(models.DCGAN):
    """DCGAN with an operation in its loss that XLA cannot compile (a Python function): a step compiled with XLA
    must fail, a plain one runs."""

    def d_loss(self, real, z):
        return super().d_loss(real, z) + tf.numpy_function(lambda: np.float32(0.0), [], tf.float32)


def test_jit_compiles_the_step_with_xla():
    keras.utils.set_random_seed(0)
    gan = NotCompilable(latent_dim=8, width=4)
    make_train_step(gan)(batch(gan))  # runs without XLA
    with pytest.raises(Exception, match="(?i)xla|compil"):
        make_train_step(gan, jit=True)(batch(gan))


def test_the_command_lines_jit_flag_reaches_the_step(tmp_path, mnist_path, monkeypatch):
    monkeypatch.setenv("GANLIB_MNIST", mnist_path)
    monkeypatch.setitem(
        models.MODELS,
        "not-compilable",
        type("NotCompilableDCGAN", (NotCompilable,), {"name": "not-compilable"}),
    )
    argv = ["train", "not-compilable", "--steps", "2", "--set", "width=4", "--set", "latent_dim=8"]
    from ganlib.cli import main

    assert main(argv + ["--out", str(tmp_path / "plain")]) == 0
    with pytest.raises(Exception, match="(?i)xla|compil"):
        main(argv + ["--jit", "--out", str(tmp_path / "xla")])


def test_the_command_lines_mixed_precision_flag(tmp_path, mnist_path, monkeypatch, capsys):
    """--mixed-precision trains in float16 (recorded in run.json), sample rebuilds it so, resume insists on the flag."""
    import json

    from ganlib.cli import main

    monkeypatch.setenv("GANLIB_MNIST", mnist_path)
    run_dir, small = str(tmp_path / "run"), ["--set", "width=4", "--set", "latent_dim=8"]
    try:
        assert main(["train", "dcgan", "--steps", "2", *small, "--mixed-precision", "--out", run_dir]) == 0
    finally:
        keras.mixed_precision.set_dtype_policy("float32")
    assert json.load(open(f"{run_dir}/run.json"))["mixed_precision"] is True
    saved = keras.models.load_model(f"{run_dir}/generator.keras")
    assert any(layer.compute_dtype == "float16" for layer in saved.layers)
    assert main(["sample", run_dir, "--n", "4", "--out", str(tmp_path / "s.npz")]) == 0
    capsys.readouterr()
    err = error_of(capsys, ["train", "dcgan", "--steps", "4", *small, "--resume", "--out", run_dir])
    assert "mixed_precision: run has True, asked for False" in err
