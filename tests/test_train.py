import glob
import json
import os
import signal

import keras
import numpy as np
import pytest
import tensorflow as tf

from ganlib import GanlibError, fingerprint, fit, make_dataset, make_train_step, read_history, restore
from ganlib.models import MODELS
from ganlib.models.dcgan import DCGAN

STEPS_PER_EPOCH = 8  # 256 digits, batch 32


@pytest.fixture(autouse=True)
def full_budget(monkeypatch):
    monkeypatch.setenv("GANLIB_SMOKE", "0")


def small_gan(seed=0):
    keras.utils.set_random_seed(seed)
    return DCGAN(latent_dim=8, width=4)


def weights(gan):
    """Every network's weights, the averages' included (InfoGAN's discriminator average too)."""
    averaged_d = getattr(gan, "ema_discriminator", gan.discriminator)
    return (
        gan.generator.get_weights()
        + gan.discriminator.get_weights()
        + gan.ema_generator.get_weights()
        + averaged_d.get_weights()
    )


def run(digits, out, steps, resume=False, gan=None, verbose=0, **kw):
    gan = gan or small_gan()
    history = fit(
        gan,
        digits[0],
        str(out),
        steps=steps,
        batch_size=32,
        resume=resume,
        verbose=verbose,
        labels=digits[1],
        **kw,
    )
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
    # what made the run: its code and settings (steps, batch size, seed), as notebooks print it
    assert json.load(open(tmp_path / "run.json"))["fingerprint"] == fingerprint(small_gan(), 12, 32, 0)
    saved = keras.models.load_model(tmp_path / "generator.keras")
    assert saved(tf.zeros((2, 8))).shape == (2, 28, 28, 1)


def test_the_moving_average_is_what_is_saved_and_what_generates(digits, tmp_path):
    """generator.keras (what ``sample`` loads) holds the average's weights, and ``generate`` (what ``evaluate`` draws
    with) uses the average, not the trained generator."""
    gan, _ = run(digits, tmp_path, steps=12)
    saved = keras.models.load_model(tmp_path / "generator.keras").get_weights()
    average, trained = gan.ema_generator.get_weights(), gan.generator.get_weights()
    assert len(saved) == len(average) and all(np.array_equal(a, b) for a, b in zip(saved, average))
    assert not all(np.array_equal(a, b) for a, b in zip(saved, trained))
    z = gan.sample_latent(4, tf.constant([0, 0], tf.int64))
    np.testing.assert_array_equal(gan.generate(4), gan.ema_generator(z, training=False))
    assert not np.allclose(gan.generate(4), gan.generator(z, training=False))


def test_n_critic_updates_the_generator_every_nth_step(digits, tmp_path):
    keras.utils.set_random_seed(0)
    gan = DCGAN(latent_dim=8, width=4, n_critic=3)
    _, history = run(digits, tmp_path, steps=6, gan=gan)
    assert json.load(open(tmp_path / "run.json"))["config"]["n_critic"] == 3
    assert list(np.isfinite(history["g_loss"])) == [False, False, True, False, False, True]
    assert int(gan.g_optimizer.iterations) == 2 and int(gan.d_optimizer.iterations) == 6


def assert_same_run(a, b, history_a, history_b):
    for key in history_a:
        np.testing.assert_array_equal(history_a[key], history_b[key], err_msg=key)
    for x, y in zip(weights(a), weights(b)):
        np.testing.assert_array_equal(x, y)


def test_resume_continues_exactly_where_the_run_stopped(digits, tmp_path, capsys):
    straight, straight_history = run(digits, tmp_path / "straight", steps=12)
    run(digits, tmp_path / "split", steps=5)  # stops mid-epoch
    resumed = small_gan(seed=99)  # different initial weights: all must come from the checkpoint
    _, history = run(digits, tmp_path / "split", steps=12, resume=True, gan=resumed, verbose=1)
    assert (
        f"Resuming {tmp_path / 'split'} at step 6: its last checkpoint holds step 5."
        in capsys.readouterr().out
    )
    assert list(history["step"]) == list(range(1, 13))
    assert int(resumed.d_optimizer.iterations) == 12
    assert_same_run(straight, resumed, straight_history, history)  # the generator's average too, bit for bit


@pytest.mark.parametrize("name", sorted(MODELS))
def test_every_model_repeats_with_its_seed_and_resumes_bit_for_bit(name, digits, tmp_path):
    def fresh(seed=0):
        keras.utils.set_random_seed(seed)
        return MODELS[name](width=4)

    straight, straight_history = run(digits, tmp_path / "straight", steps=12, gan=fresh())
    # The same seed again, for 7 steps (mid-epoch, and mid critic cycle for n_critic = 5): its history rows are
    # compared below with the straight run's first 7; resumed from a model of another seed, the rest must follow
    # from the checkpoint alone, to the same history, weights and average.
    run(digits, tmp_path / "split", steps=7, gan=fresh())
    resumed, history = run(digits, tmp_path / "split", steps=12, resume=True, gan=fresh(seed=99))
    assert list(history["step"]) == list(range(1, 13))
    assert_same_run(straight, resumed, straight_history, history)


def test_the_generator_average_follows_its_formula(digits, tmp_path):
    gan = small_gan()
    start = [w.copy() for w in gan.generator.get_weights()]
    step = make_train_step(gan)
    for batch in make_dataset(digits[0], 32, gan.sample_latent, 0, 0):
        step(batch)
        break
    beta = min(gan.ema, 2 / 11)  # after generator step t = 1: min(beta, (1 + t) / (10 + t))
    for avg, w0, w1 in zip(gan.ema_generator.get_weights(), start, gan.generator.get_weights()):
        np.testing.assert_allclose(avg, beta * w0 + (1 - beta) * w1, rtol=1e-6, atol=1e-7)
    assert not np.allclose(gan.ema_generator.get_weights()[0], gan.generator.get_weights()[0])


def test_ema_0_samples_from_the_trained_generator(digits, tmp_path):
    keras.utils.set_random_seed(0)
    gan = DCGAN(latent_dim=8, width=4, ema=0)
    assert gan.ema_generator is gan.generator
    run(digits, tmp_path, steps=3, gan=gan)
    assert json.load(open(tmp_path / "run.json"))["config"]["ema"] == 0


def test_sigint_during_a_step_saves_whole_steps_and_resume_equals_the_straight_run(digits, tmp_path):
    """A real SIGINT, sent from inside the 4th step (as Ctrl-C arrives while the step runs): fit finishes the
    call under way, saves the checkpoint under the number of steps done, and a resumed run equals a straight one."""

    class Interrupted(DCGAN):
        def d_loss(self, real, z):
            def send(i):
                if int(i) == 3:
                    os.kill(os.getpid(), signal.SIGINT)
                return i

            done = tf.py_function(send, [self.d_optimizer.iterations], tf.int64)
            return super().d_loss(real, z) + 0.0 * tf.cast(done, tf.float32)

    straight, straight_history = run(digits, tmp_path / "straight", steps=12)
    keras.utils.set_random_seed(0)
    with pytest.raises(KeyboardInterrupt):
        run(digits, tmp_path / "split", steps=12, gan=Interrupted(latent_dim=8, width=4))
    saved = int(tf.train.latest_checkpoint(str(tmp_path / "split" / "checkpoints")).rsplit("-", 1)[1])
    assert 4 <= saved < 12 and list(read_history(str(tmp_path / "split"))["step"]) == list(
        range(1, saved + 1)
    )
    resumed, history = run(digits, tmp_path / "split", steps=12, resume=True, gan=small_gan(seed=99))
    assert_same_run(straight, resumed, straight_history, history)


def test_history_ahead_of_the_checkpoint_is_cut_back_on_resume(digits, tmp_path, monkeypatch):
    """A kill after the history is written and before the checkpoint is (fit writes them in that order)."""
    straight, straight_history = run(digits, tmp_path / "straight", steps=12, checkpoint_every=4)
    save = tf.train.CheckpointManager.save

    def killed_at_8(manager, checkpoint_number=None, **kw):
        if checkpoint_number == 8:
            raise SystemExit("killed")
        return save(manager, checkpoint_number=checkpoint_number, **kw)

    with monkeypatch.context() as patch, pytest.raises(SystemExit):
        patch.setattr(tf.train.CheckpointManager, "save", killed_at_8)
        run(digits, tmp_path / "split", steps=12, checkpoint_every=4)
    assert list(read_history(str(tmp_path / "split"))["step"]) == list(range(1, 9))
    assert tf.train.latest_checkpoint(str(tmp_path / "split" / "checkpoints")).endswith("ckpt-4")
    resumed, history = run(
        digits, tmp_path / "split", steps=12, resume=True, gan=small_gan(seed=99), checkpoint_every=4
    )
    assert list(history["step"]) == list(range(1, 13))  # steps 5-8 trained once more, recorded once
    assert_same_run(straight, resumed, straight_history, history)


def test_a_grid_half_written_when_killed_does_not_stop_the_resumed_run(digits, tmp_path):
    run(digits, tmp_path, steps=5)
    (tmp_path / "grids" / "epoch_0002.png.part").write_bytes(
        b"\x89PNG cut short"
    )  # what a kill mid-write leaves
    _, history = run(digits, tmp_path, steps=12, resume=True)
    assert list(history["step"]) == list(range(1, 13)) and os.path.getsize(tmp_path / "training.gif") > 0


def test_resuming_a_finished_run_to_its_own_end_changes_nothing(digits, tmp_path):
    gan, straight = run(digits, tmp_path, steps=8)  # exactly one epoch
    again, history = run(digits, tmp_path, steps=8, resume=True, gan=small_gan(seed=99))
    assert list(history["step"]) == list(range(1, 9))
    assert_same_run(gan, again, straight, history)


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
    """From its 6th step on, its batches are poisoned with NaN: the gradients, and so the weights, become NaN."""

    def d_loss(self, real, z):
        return super().d_loss(real * tf.where(self.d_optimizer.iterations >= 5, np.nan, 1.0), z)


def test_nan_guard_stops_and_keeps_the_last_good_checkpoint(digits, tmp_path):
    keras.utils.set_random_seed(0)
    gan = DivergingDCGAN(latent_dim=8, width=4)
    with pytest.raises(GanlibError, match=r"d_loss became nan at step 6.*checkpoint \(step 4\)"):
        fit(gan, digits[0][:64], str(tmp_path), steps=20, batch_size=32, verbose=0, checkpoint_every=2)
    assert not all(
        np.all(np.isfinite(w)) for w in gan.discriminator.get_weights()
    )  # the weights did become NaN
    assert tf.train.latest_checkpoint(str(tmp_path / "checkpoints")).endswith("ckpt-4")
    good = small_gan()
    assert restore(good, str(tmp_path)) == 4
    assert all(np.all(np.isfinite(w)) for w in weights(good))
    assert list(read_history(str(tmp_path))["step"]) == [1, 2, 3, 4]
    _, history = run(
        (digits[0][:64], digits[1][:64]), tmp_path, steps=8, resume=True, gan=good
    )  # resuming with a sane model works
    assert list(history["step"]) == list(range(1, 9)) and np.all(np.isfinite(history["d_loss"]))


class GLossTurnsNaN(DCGAN):
    """From its 6th generator step on, the generator's loss is NaN (the discriminator's loss of that step is not)."""

    def g_loss(self, z):
        return super().g_loss(z) * tf.where(self.g_optimizer.iterations >= 5, np.nan, 1.0)


def test_nan_guard_reads_the_generators_loss_too(digits, tmp_path):
    keras.utils.set_random_seed(0)
    with pytest.raises(GanlibError, match=r"g_loss became nan at step 6"):
        fit(
            GLossTurnsNaN(latent_dim=8, width=4),
            digits[0][:64],
            str(tmp_path),
            steps=20,
            batch_size=32,
            verbose=0,
        )


def test_nan_guard_stops_within_a_call_of_at_most_100_steps(digits, tmp_path):
    """An epoch of 128 steps (batch 2): the loss turns NaN at step 6, and training stops by step 100."""
    keras.utils.set_random_seed(0)
    gan = DivergingDCGAN(latent_dim=8, width=4)
    with pytest.raises(GanlibError, match=r"d_loss became nan at step 6"):
        fit(gan, digits[0], str(tmp_path), steps=300, batch_size=2, verbose=0)
    assert 6 <= int(gan.d_optimizer.iterations) <= 100


def test_a_run_stopped_before_its_first_checkpoint_is_cleared_by_the_next(digits, tmp_path, monkeypatch):
    """Nothing of it can be resumed; its grids (of later epochs than the new run's) must not leak into the new run."""

    def killed(manager, checkpoint_number=None, **kw):
        raise SystemExit("killed")

    with monkeypatch.context() as patch, pytest.raises(SystemExit):
        patch.setattr(tf.train.CheckpointManager, "save", killed)
        run(
            digits, tmp_path, steps=24, checkpoint_every=100
        )  # 3 epochs, killed when it first saves (step 24)
    assert sorted(os.listdir(tmp_path / "grids")) == ["epoch_0001.png", "epoch_0002.png"]
    _, history = run(digits, tmp_path, steps=8)
    assert list(history["step"]) == list(range(1, 9)) and list(read_history(str(tmp_path))["step"]) == list(
        range(1, 9)
    )
    assert sorted(os.listdir(tmp_path / "grids")) == ["epoch_0001.png"]
    assert (tmp_path / "samples.png").read_bytes() == (tmp_path / "grids" / "epoch_0001.png").read_bytes()


def test_set_aside_keeps_the_previous_run_beside_the_new_one(digits, tmp_path):
    from ganlib import set_aside

    out = tmp_path / "dcgan"
    assert set_aside(str(out)) is None  # nothing there yet
    run(digits, out, steps=2)
    assert set_aside(str(out)) == f"{out}.1" and not out.exists()
    run(digits, out, steps=3)
    assert set_aside(str(out)) == f"{out}.2"
    assert list(read_history(f"{out}.1")["step"]) == [1, 2] and list(read_history(f"{out}.2")["step"]) == [
        1,
        2,
        3,
    ]


def test_steps_is_a_whole_number(digits, tmp_path):
    """steps=2.0 (a whole float, as a budget computed in seconds may be) trains 2 steps; 2.5 or -1 is a one-line error."""
    assert list(run(digits, tmp_path / "whole", steps=2.0)[1]["step"]) == [1, 2]
    for bad in (2.5, -1):
        with pytest.raises(GanlibError, match=f"steps must be a whole number of steps >= 1, not {bad}"):
            run(digits, tmp_path / f"bad{bad}", steps=bad)


def test_verbose_2_prints_about_twenty_lines_a_run(digits, capsys):
    """The notebooks' log: a line every few epochs (every 3rd of 41 here) and one at the end, the step and the last
    losses on each, about LOG_LINES lines however long the run."""
    fit(small_gan(), digits[0][:64], None, steps=82, batch_size=32, verbose=2)  # 2 steps an epoch, 41 epochs
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(",")[0] for line in lines] == [f"epoch {e}/41" for e in (*range(3, 41, 3), 41)]
    assert lines[-1].startswith("epoch 41/41, step 82: d_loss ") and "g_loss" in lines[-1]
    from ganlib.models import WGAN

    fit(
        WGAN(latent_dim=8, width=4), digits[0][:96], None, steps=9, batch_size=32, verbose=2
    )  # G on even steps
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == [f"epoch {e}/3, step {3 * e}" for e in (1, 2, 3)]
    assert all("g_loss" in line for line in lines), lines  # its last update's, on the odd steps too


def test_on_drive_keeps_a_run_on_google_drive_on_colab_and_resume_continues_it(
    digits, tmp_path, monkeypatch, capsys
):
    """The notebooks' ON_DRIVE switch: off Colab the path is unchanged; on Colab (its module faked here) Drive is
    mounted once and the run goes under MyDrive/ganlib/, where a later session resumes it."""
    import sys
    import types

    from ganlib import on_drive

    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    assert on_drive("runs/dcgan") == "runs/dcgan" and "not on Colab" in capsys.readouterr().out
    mounts = []

    def mount(point):
        mounts.append(point)
        os.makedirs(os.path.join(point, "MyDrive"))

    monkeypatch.setitem(
        sys.modules, "google.colab", types.SimpleNamespace(drive=types.SimpleNamespace(mount=mount))
    )
    drive = str(tmp_path / "drive")
    path = on_drive("runs/dcgan", mount_point=drive)
    assert path == os.path.join(drive, "MyDrive", "ganlib", "runs", "dcgan") and mounts == [drive]
    assert on_drive("runs/wgan", mount_point=drive).endswith("MyDrive/ganlib/runs/wgan") and mounts == [drive]
    assert on_drive(str(tmp_path / "mine"), mount_point=drive) == str(tmp_path / "mine")  # absolute: as given
    run(digits, path, steps=2)  # a session that disconnects after step 2 ...
    run(digits, path, steps=4, resume=True)  # ... and the next one, resuming from Drive
    assert list(read_history(path)["step"]) == [1, 2, 3, 4]


@pytest.mark.parametrize("where", ["checkpoint", "log", "generator"])
def test_a_write_that_fails_stops_with_a_clear_error_and_keeps_the_last_checkpoint(
    digits, tmp_path, monkeypatch, where
):
    """Disk full or a directory made read-only mid-run, provoked by patching the writer (CI runs as root)."""
    full = tf.errors.ResourceExhaustedError(None, None, "No space left on device")
    save, scalar = tf.train.CheckpointManager.save, tf.summary.scalar

    def failing_save(manager, checkpoint_number=None, **kw):
        if checkpoint_number == 8:
            raise full
        return save(manager, checkpoint_number=checkpoint_number, **kw)

    def failing_scalar(name, value, step=None, **kw):
        if int(step) > 4:
            raise full
        return scalar(name, value, step=step, **kw)

    def failing_keras_save(model, *args, **kw):
        raise OSError(28, "No space left on device")

    patch = {
        "checkpoint": (tf.train.CheckpointManager, "save", failing_save),
        "log": (tf.summary, "scalar", failing_scalar),
        "generator": (keras.Model, "save", failing_keras_save),
    }[where]
    monkeypatch.setattr(*patch)
    with pytest.raises(
        GanlibError,
        match=r"cannot write .* No space left on device.*--resume.*last checkpoint \(step (4|12)\)",
    ):
        run(digits, tmp_path, steps=12, checkpoint_every=4)
    assert tf.train.latest_checkpoint(str(tmp_path / "checkpoints")).endswith(
        "ckpt-12" if where == "generator" else "ckpt-4"
    )


def test_corrupt_checkpoint_gives_a_clear_error(digits, tmp_path):
    run(digits, tmp_path, steps=2)
    (data_file,) = glob.glob(str(tmp_path / "checkpoints" / "ckpt-2.data-*"))
    with open(data_file, "r+b") as f:
        f.truncate(100)
    with pytest.raises(GanlibError, match="cannot restore checkpoint .*ckpt-2.*delete that checkpoint"):
        restore(small_gan(), str(tmp_path))


def test_a_checkpoint_missing_part_of_the_model_gives_a_clear_error(digits, tmp_path):
    keras.utils.set_random_seed(0)
    run(
        digits, tmp_path, steps=2, gan=DCGAN(latent_dim=8, width=4, ema=0.0)
    )  # no moving average in its checkpoint
    with_average = DCGAN(latent_dim=8, width=4, ema=0.999)
    with pytest.raises(GanlibError, match="cannot restore checkpoint .*ckpt-2.*from another model"):
        restore(with_average, str(tmp_path))


def test_run_json_has_a_format_version_and_a_newer_one_is_refused(digits, tmp_path):
    from ganlib import rundir

    run(digits, tmp_path, steps=2)
    saved = json.load(open(tmp_path / "run.json"))
    assert saved["format"] == rundir.FORMAT == 1
    del saved["format"]  # a run made before formats were numbered reads as format 1, and resumes
    json.dump(saved, open(tmp_path / "run.json", "w"))
    _, history = run(digits, tmp_path, steps=4, resume=True, gan=small_gan(seed=99))
    assert list(history["step"]) == [1, 2, 3, 4]
    json.dump(saved | {"format": 2}, open(tmp_path / "run.json", "w"))
    with pytest.raises(
        GanlibError, match="written by a newer ganlib .run format 2; this one reads up to 1.: upgrade"
    ):
        rundir.read_run(str(tmp_path))


def test_on_call_sees_each_call_sizes_the_next_and_stops_the_loop(digits, tmp_path):
    """The hook of benchmarks/time_to_quality.py and throughput.py: before the first call and after each, it is told
    the step and the call's rows and times, and returns the next call's size (or 0 to stop)."""
    seen = []

    def on_call(call):
        seen.append((call.step, [r["step"] for r in call.rows], call.started <= call.ready))
        return 0 if call.step >= 7 else 3

    out = tmp_path / "nowhere"
    history = fit(small_gan(), digits[0], None, steps=12, batch_size=32, verbose=0, on_call=on_call)
    # calls of 3 steps, the third cut at the epoch's end (8 steps); stopped there, past step 7 ...
    assert seen == [(0, [], True), (3, [1, 2, 3], True), (6, [4, 5, 6], True), (8, [7, 8], True)]
    assert list(history["step"]) == list(range(1, 9)) and not out.exists()  # ... and without a run directory
    _, history = run(digits, out, steps=12, on_call=lambda call: 0 if call.step >= 4 else None)
    assert list(history["step"]) == list(range(1, 9))  # a default call runs to the epoch's end
    assert tf.train.latest_checkpoint(str(out / "checkpoints")).endswith(
        "ckpt-8"
    )  # stopped early: saved there


def test_a_step_says_whether_it_updated_the_generator(digits):
    from ganlib.step import many_steps

    gan = small_gan()
    step = make_train_step(gan)
    batch = next(iter(make_dataset(digits[0], 32, gan.sample_d, 0, 0)))
    assert float(step(batch, False)["g_updated"]) == 0.0 and int(gan.g_optimizer.iterations) == 0
    assert float(step(batch, True)["g_updated"]) == 1.0 and int(gan.g_optimizer.iterations) == 1
    results = many_steps(step, 3)(
        iter(make_dataset(digits[0], 32, gan.sample_d, 0, 0)), tf.constant(0), tf.constant(6)
    )
    assert list(results["g_updated"].numpy()) == [0, 0, 1, 0, 0, 1]  # steps 3 and 6 of the run


def test_fingerprint_follows_the_model_modules_a_model_builds_with(monkeypatch):
    """LSGAN's discriminator is cgan.py's (through selfcond.py) and InfoGAN's generator dcgan.py's, though neither
    class inherits from those modules: a line changed there changes their fingerprint, and not vanilla's."""
    import inspect

    from ganlib import rundir
    from ganlib.models import LSGAN, InfoGAN, VanillaGAN, cgan, dcgan

    gans = {"lsgan": LSGAN(width=4), "infogan": InfoGAN(noise_dim=4, width=4), "vanilla": VanillaGAN(width=8)}
    before = {name: rundir.fingerprint(gan, 1, 64, 0) for name, gan in gans.items()}
    real = inspect.getsource
    for module, model, old, new in (
        (cgan, "lsgan", "Dot(axes=1)", "Dot(axes=-1)"),
        (dcgan, "infogan", "(0.2)", "(0.3)"),
    ):
        changed = real(module).replace(old, new)
        assert changed != real(module)
        monkeypatch.setattr(
            inspect,
            "getsource",
            lambda m, module=module, changed=changed: changed if m is module else real(m),
        )
        after = {name: rundir.fingerprint(gan, 1, 64, 0) for name, gan in gans.items()}
        assert after[model] != before[model] and after["vanilla"] == before["vanilla"], module.__name__
        monkeypatch.setattr(inspect, "getsource", real)


def test_fingerprint_follows_the_code_and_the_settings_not_the_text(monkeypatch):
    """rundir.fingerprint: the same for the same code and settings; another hyperparameter, setting, model or a changed
    line of code gives another; a reworded docstring, a comment or reformatting keeps it."""
    import inspect
    import re

    from ganlib import losses, rundir
    from ganlib.models import LSGAN

    base = rundir.fingerprint(DCGAN(), 4500, 64, 0)
    assert re.fullmatch("[0-9a-f]{12}", base) and rundir.fingerprint(DCGAN(), 4500, 64, 0) == base
    others = [
        rundir.fingerprint(DCGAN(g_lr=2e-4), 4500, 64, 0),
        rundir.fingerprint(DCGAN(), 9000, 64, 0),
        rundir.fingerprint(LSGAN(), 4500, 64, 0),
    ]
    assert base not in others and len(set(others)) == 3
    source, real = inspect.getsource(losses), inspect.getsource

    def edited(new):
        monkeypatch.setattr(inspect, "getsource", lambda m: new if m is losses else real(m))
        return rundir.fingerprint(DCGAN(), 4500, 64, 0)

    reworded = source.replace('"""GAN losses:', '"""The GAN losses:').replace(
        "    return _bce(real_logits, 1.0)", "    # a comment\n    return _bce(real_logits,   1.0)"
    )
    assert reworded != source and edited(reworded) == base
    assert edited(source.replace("_bce(fake_logits, 1.0)", "_bce(fake_logits, 0.9)")) != base
