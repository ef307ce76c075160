"""Faults: a training process killed with SIGKILL (every model), a kill while a checkpoint is being written,
and runs that must reproduce bit for bit. Real CLI processes on a 640-digit file (10 steps an epoch).
(Same seed -> the same history and weights for every model, in process: tests/test_train.py.)"""

import glob
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
import tensorflow as tf

from ganlib import read_history
from ganlib.models import MODELS

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STEPS = 40  # 4 epochs of 10 steps


@pytest.fixture(scope="module")
def small_mnist(mnist_path, tmp_path_factory):
    with np.load(mnist_path) as f:
        x, y, xt, yt = f["x_train"], f["y_train"], f["x_test"], f["y_test"]
    path = str(tmp_path_factory.mktemp("data") / "mnist-640.npz")
    np.savez(path, x_train=x[::7][:640], y_train=y[::7][:640], x_test=xt[:500], y_test=yt[:500])
    return path


def command(run_dir, data, *extra, steps=STEPS, model="vanilla"):
    return [
        sys.executable,
        "-m",
        "ganlib",
        "train",
        model,
        "--steps",
        str(steps),
        "--checkpoint-every",
        "10",
        "--out",
        str(run_dir),
        "--data",
        data,
        *extra,
    ]


def env():
    return {**os.environ, "GANLIB_SMOKE": "0", "TF_CPP_MIN_LOG_LEVEL": "3"}


def train(run_dir, data, *extra, model="vanilla", output=False):
    """Train through the CLI; the run's history (and with ``output``, what the command printed)."""
    done = subprocess.run(
        command(run_dir, data, *extra, model=model), capture_output=True, text=True, env=env(), cwd=ROOT
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return (read_history(str(run_dir)), done.stdout) if output else read_history(str(run_dir))


@pytest.fixture(scope="module")
def straight_runs(small_mnist, tmp_path_factory):
    """``straight_runs(model)``: (run directory, history) of an uninterrupted run, trained once a module."""
    done = {}

    def get(model="vanilla"):
        if model not in done:
            run_dir = tmp_path_factory.mktemp("straight") / model
            done[model] = run_dir, train(run_dir, small_mnist, model=model)
        return done[model]

    return get


@pytest.fixture(scope="module")
def uninterrupted(straight_runs):
    return straight_runs("vanilla")


def assert_same_history(a, b):
    assert list(a["step"]) == list(range(1, STEPS + 1))  # no step lost or repeated
    assert list(a["epoch"]) == [e for e in range(1, 5) for _ in range(10)]
    assert a.keys() == b.keys()
    for key in a:
        np.testing.assert_array_equal(a[key], b[key], err_msg=key)


def assert_same_weights(run_a, run_b):
    """The final checkpoints hold the same values: networks, the generator's average, optimizer states."""
    a, b = (tf.train.load_checkpoint(str(run / "checkpoints")) for run in (run_a, run_b))
    names = sorted(
        n for n in a.get_variable_to_shape_map() if not n.startswith("save_counter")
    )  # saves made differ
    assert (
        names == sorted(n for n in b.get_variable_to_shape_map() if not n.startswith("save_counter"))
        and len(names) > 10
    )
    for name in names:
        np.testing.assert_array_equal(a.get_tensor(name), b.get_tensor(name), err_msg=name)


def test_same_seed_reproduces_the_run_exactly(small_mnist, uninterrupted, tmp_path):
    again = train(tmp_path / "again", small_mnist)
    assert_same_history(again, uninterrupted[1])
    sample = [sys.executable, "-m", "ganlib", "sample"]
    for run_dir, out in ((uninterrupted[0], tmp_path / "a.npz"), (tmp_path / "again", tmp_path / "b.npz")):
        subprocess.run(
            sample + [str(run_dir), "--out", str(out)], check=True, capture_output=True, env=env(), cwd=ROOT
        )
    with np.load(tmp_path / "a.npz") as a, np.load(tmp_path / "b.npz") as b:
        np.testing.assert_array_equal(a["samples"], b["samples"])


def test_another_seed_gives_another_run(small_mnist, uninterrupted, tmp_path):
    other = train(tmp_path / "other", small_mnist, "--seed", "1")
    assert not np.allclose(other["d_loss"], uninterrupted[1]["d_loss"])


def listed_checkpoints(run_dir):
    """The checkpoints a run's checkpoint state lists (TensorFlow rewrites it atomically after each save)."""
    state = tf.train.get_checkpoint_state(str(run_dir / "checkpoints"))
    return list(state.all_model_checkpoint_paths) if state else []


@pytest.mark.parametrize("model", sorted(MODELS))
def test_sigkill_then_resume_loses_and_repeats_nothing(model, small_mnist, straight_runs, tmp_path):
    run_dir = tmp_path / "killed"
    process = subprocess.Popen(
        command(run_dir, small_mnist, model=model),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env(),
        cwd=ROOT,
    )
    deadline = time.time() + 300
    # killed once the checkpoint state lists two checkpoints (the second complete: the third epoch at the earliest):
    # with one listed, resuming from the oldest and from the newest would be the same, and a wrong choice would pass
    while len(listed_checkpoints(run_dir)) < 2:
        assert process.poll() is None and time.time() < deadline, "training ended before it could be killed"
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL
    killed_at = read_history(str(run_dir))
    assert len(killed_at["step"]) < STEPS
    last = int(tf.train.latest_checkpoint(str(run_dir / "checkpoints")).rsplit("-", 1)[1])
    resumed, printed = train(run_dir, small_mnist, "--resume", model=model, output=True)
    # where training restarted: after the newest checkpoint (an older one would redo steps and still end the same)
    assert f"at step {last + 1}: its last checkpoint holds step {last}." in printed, printed
    straight_dir, straight = straight_runs(model)
    assert_same_history(resumed, straight)
    assert_same_weights(run_dir, straight_dir)


def test_a_checkpoint_half_written_when_killed_falls_back_to_the_previous(
    small_mnist, uninterrupted, tmp_path
):
    # What a kill in the middle of CheckpointManager.save leaves: files of the new checkpoint, cut short,
    # while the 'checkpoint' state file still names the previous one (TensorFlow rewrites it last, atomically).
    run_dir = tmp_path / "half"
    subprocess.run(
        command(run_dir, small_mnist, steps=20), check=True, capture_output=True, env=env(), cwd=ROOT
    )
    checkpoints = run_dir / "checkpoints"
    for src in glob.glob(str(checkpoints / "ckpt-20.*")):
        data = open(src, "rb").read()
        open(src.replace("ckpt-20", "ckpt-30"), "wb").write(data[: len(data) // 3])
    resumed = train(run_dir, small_mnist, "--resume")
    assert_same_history(resumed, uninterrupted[1])
