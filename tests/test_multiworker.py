"""Multi-worker training with TensorFlow's own engine: two worker processes on 127.0.0.1
(MultiWorkerMirroredStrategy, TF_CONFIG) against one process on the same global batch."""

import json
import os
import socket
import subprocess
import sys

import keras
import numpy as np

from ganlib import read_history, restore
from ganlib.models import DCGAN

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


# `python -m ganlib` with a DCGAN that also records how many examples each replica's batch had ("examples")
# helpers.py by its path: on Colab's stack, importing TensorFlow imports IPython 7, which puts IPython/extensions (a
# regular package named tests) on sys.path, and a regular package wins over our namespace package tests/
COUNTING = (
    f"import sys; sys.path.insert(0, {os.path.dirname(os.path.abspath(__file__))!r}); "
    "from ganlib import cli, models; from helpers import CountsExamples; "
    "CountsExamples.name = 'dcgan'; models.MODELS['dcgan'] = CountsExamples; raise SystemExit(cli.main())"
)


def free_ports(n):
    sockets = [socket.socket() for _ in range(n)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def train(out, strategy, mnist_path, tf_config=None, steps=4, batch_size=32, resume=False):
    env = {**os.environ, "GANLIB_MNIST": mnist_path, "GANLIB_SMOKE": "1", "TF_CPP_MIN_LOG_LEVEL": "3"}
    env.pop("TF_CONFIG", None)
    if tf_config:
        env["TF_CONFIG"] = json.dumps(tf_config)
    command = [
        sys.executable,
        "-c",
        COUNTING,
        "train",
        "dcgan",
        "--set",
        "d_hidden=0",  # the all-convolutional discriminator the tolerances below were measured with
        "--steps",
        str(steps),
        "--batch-size",
        str(batch_size),
        "--strategy",
        strategy,
        "--out",
        out,
    ] + ["--resume"] * resume
    return subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT
    )


def finished(process):
    out, err = process.communicate(timeout=600)
    assert process.returncode == 0, err[-3000:]
    return out


def weights(run_dir, step):
    gan = DCGAN(d_hidden=0)
    assert restore(gan, run_dir) == step
    return gan.generator.get_weights() + gan.discriminator.get_weights() + gan.ema_generator.get_weights()


def two_workers(out, mnist_path, steps, resume=False):
    cluster = {"worker": [f"127.0.0.1:{p}" for p in free_ports(2)]}
    workers = [
        train(
            out,
            "multiworker",
            mnist_path,
            {"cluster": cluster, "task": {"type": "worker", "index": i}},
            steps,
            resume=resume,
        )
        for i in range(2)
    ]
    for w in workers:
        printed = finished(w)
        assert (
            "2 replica(s) in sync; global batch 32, 16 examples a replica" in printed
            and f"to step {steps}" in printed
        )


def max_difference(a, b):
    assert len(a) == len(b)
    return max(np.abs(x - y).max() for x, y in zip(a, b))


# The workers sum the gradients of two half batches, one process those of the whole batch: the float sums run in
# another order, and Adam magnifies the differences of tiny gradients. Measured: 3.6e-4 after 4 steps, 2.1e-3
# after 8; a worker training on its half alone is 8.5e-3 away after 4.
AFTER_4, AFTER_8 = 1e-3, 5e-3


def test_two_workers_match_one_process_and_resume_together(tmp_path, mnist_path):
    out = str(tmp_path / "multi")
    two_workers(out, mnist_path, 4)
    single = str(tmp_path / "single")
    assert "1 replica(s) in sync; global batch 32, 32 examples a replica" in finished(
        train(single, "default", mnist_path)
    )
    chief, other = weights(out, 4), weights(out + ".worker-1", 4)
    for a, b in zip(chief, other):
        np.testing.assert_array_equal(a, b)  # the workers hold one model
    assert list(read_history(out)["examples"]) == [16] * 4  # each trained on its half of every batch
    assert list(read_history(single)["examples"]) == [32] * 4
    assert (
        max_difference(chief, weights(single, 4)) < AFTER_4
    )  # ... the model one process trains on the same global batches
    keras.utils.set_random_seed(0)  # the CLI's initial weights (--seed 0)
    initial = DCGAN(d_hidden=0).generator.get_weights()
    assert not any(np.allclose(a, b) for a, b in zip(chief, initial) if a.size > 1)  # and it trained
    np.testing.assert_allclose(read_history(out)["d_loss"], read_history(single)["d_loss"], rtol=1e-4)

    # Control: a worker that trained on its half of the batch alone ends elsewhere.
    half = str(tmp_path / "half")
    finished(train(half, "default", mnist_path, batch_size=16))
    assert max_difference(chief, weights(half, 4)) > 5 * AFTER_4

    # Both workers resume together, to where one process trains straight.
    two_workers(out, mnist_path, 8, resume=True)
    finished(train(single, "default", mnist_path, steps=8, resume=True))
    assert max_difference(weights(out, 8), weights(single, 8)) < AFTER_8
    assert list(read_history(out)["step"]) == list(range(1, 9))


def test_multiworker_without_tf_config_says_what_to_set(tmp_path, mnist_path):
    process = train(str(tmp_path / "x"), "multiworker", mnist_path)
    _, err = process.communicate(timeout=300)
    assert process.returncode == 2 and "TF_CONFIG" in err and "Traceback" not in err
