import glob
import json
import os

import keras
import numpy as np
import pytest
import tensorflow as tf

from ganlib import GanlibError, fit, read_history, restore, train
from ganlib.models.dcgan import DCGAN

STEPS_PER_EPOCH = 8  # 256 digits, batch 32


@pytest.fixture(autouse=True)
def full_budget(monkeypatch):
    monkeypatch.setenv("GANLIB_SMOKE", "0")


def small_gan(seed=0):
    keras.utils.set_random_seed(seed)
    return DCGAN(latent_dim=8, width=4)


def weights(gan):
    return gan.generator.get_weights() + gan.discriminator.get_weights()


def run(digits, out, steps, resume=False, gan=None, **kw):
    gan = gan or small_gan()
    history = fit(gan, digits[0], str(out), steps=steps, batch_size=32, resume=resume, verbose=0, **kw)
    return gan, history


def test_a_run_writes_everything(digits, tmp_path):
    _, history = run(digits, tmp_path, steps=12)
    assert list(history["step"]) == list(range(1, 13))
    assert list(history["epoch"]) == [1] * 8 + [2] * 4
    assert np.all(np.isfinite(history["d_loss"])) and np.all(np.isfinite(history["g_loss"]))
    for name in ("generator.keras", "samples.png", "training.gif", "losses.png", "history.csv", "run.json"):
        assert os.path.getsize(tmp_path / name) > 0, name
    assert sorted(os.listdir(tmp_path / "grids")) == ["epoch_0001.png", "epoch_0002.png"]
    assert glob.glob(str(tmp_path / "logs" / "events.out.tfevents.*"))
    assert tf.train.latest_checkpoint(str(tmp_path / "checkpoints")).endswith("ckpt-12")
    assert json.load(open(tmp_path / "run.json"))["model"] == "dcgan"
    saved = keras.models.load_model(tmp_path / "generator.keras")
    assert saved(tf.zeros((2, 8))).shape == (2, 28, 28, 1)


def test_n_critic_updates_the_generator_every_nth_step(digits, tmp_path):
    gan = small_gan()
    gan.n_critic = 3
    _, history = run(digits, tmp_path, steps=6, gan=gan)
    assert list(np.isfinite(history["g_loss"])) == [False, False, True, False, False, True]
    assert int(gan.g_optimizer.iterations) == 2 and int(gan.d_optimizer.iterations) == 6


def test_resume_continues_exactly_where_the_run_stopped(digits, tmp_path):
    straight, _ = run(digits, tmp_path / "straight", steps=12)
    first, _ = run(digits, tmp_path / "split", steps=5)  # stops mid-epoch
    resumed = small_gan(seed=99)  # different initial weights: all must come from the checkpoint
    _, history = run(digits, tmp_path / "split", steps=12, resume=True, gan=resumed)
    assert list(history["step"]) == list(range(1, 13))
    assert int(resumed.d_optimizer.iterations) == 12
    for a, b in zip(weights(straight), weights(resumed)):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_interrupt_saves_a_checkpoint_and_resume_goes_on(digits, tmp_path, monkeypatch):
    real_make_dataset = train.make_dataset

    def interrupted_after_3(*args, **kw):
        for i, batch in enumerate(real_make_dataset(*args, **kw)):
            if i == 3:
                raise KeyboardInterrupt
            yield batch

    monkeypatch.setattr(train, "make_dataset", interrupted_after_3)
    with pytest.raises(KeyboardInterrupt):
        run(digits, tmp_path, steps=12)
    monkeypatch.setattr(train, "make_dataset", real_make_dataset)
    assert tf.train.latest_checkpoint(str(tmp_path / "checkpoints")).endswith("ckpt-3")
    assert list(read_history(str(tmp_path))["step"]) == [1, 2, 3]
    gan, history = run(digits, tmp_path, steps=12, resume=True)
    assert list(history["step"]) == list(range(1, 13))


def test_a_run_directory_is_never_overwritten(digits, tmp_path):
    run(digits, tmp_path, steps=2)
    with pytest.raises(GanlibError, match="already holds a run.*--resume"):
        run(digits, tmp_path, steps=2)


def test_resume_errors(digits, tmp_path):
    with pytest.raises(GanlibError, match="nothing to resume"):
        run(digits, tmp_path / "empty", steps=2, resume=True)
    run(digits, tmp_path / "run", steps=2)
    with pytest.raises(GanlibError, match="batch_size: run has 32, asked for 16"):
        fit(small_gan(), digits[0], str(tmp_path / "run"), steps=4, batch_size=16, resume=True, verbose=0)
    with pytest.raises(GanlibError, match="config: run has"):
        fit(DCGAN(latent_dim=8, width=8), digits[0], str(tmp_path / "run"), steps=4, resume=True, verbose=0)


class DivergingDCGAN(DCGAN):
    """Its discriminator loss becomes NaN from the 6th step on."""

    def d_loss(self, real, z):
        # Added, not multiplied: a NaN inside tf.where's other branch would leak into the gradients.
        return super().d_loss(real, z) + tf.where(self.d_optimizer.iterations >= 5, np.nan, 0.0)


def test_nan_guard_stops_and_keeps_the_last_good_checkpoint(digits, tmp_path):
    keras.utils.set_random_seed(0)
    gan = DivergingDCGAN(latent_dim=8, width=4)
    with pytest.raises(GanlibError, match=r"d_loss became nan at step 6.*checkpoint \(step 4\)"):
        fit(gan, digits[0][:64], str(tmp_path), steps=20, batch_size=32, verbose=0)  # 2 steps an epoch
    assert tf.train.latest_checkpoint(str(tmp_path / "checkpoints")).endswith("ckpt-4")
    good = DCGAN(latent_dim=8, width=4)
    assert restore(good, str(tmp_path)) == 4
    assert all(np.all(np.isfinite(w)) for w in weights(good))
    assert list(read_history(str(tmp_path))["step"]) == [1, 2, 3, 4]


def test_corrupt_checkpoint_gives_a_clear_error(digits, tmp_path):
    run(digits, tmp_path, steps=2)
    (data_file,) = glob.glob(str(tmp_path / "checkpoints" / "ckpt-2.data-*"))
    with open(data_file, "r+b") as f:
        f.truncate(100)
    with pytest.raises(GanlibError, match="cannot restore checkpoint .*ckpt-2.*delete that checkpoint"):
        restore(small_gan(), str(tmp_path))
