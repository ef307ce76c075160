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


def free_ports(n):
    sockets = [socket.socket() for _ in range(n)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def train(out, strategy, mnist_path, tf_config=None):
    env = {**os.environ, "GANLIB_MNIST": mnist_path, "GANLIB_SMOKE": "1", "TF_CPP_MIN_LOG_LEVEL": "3"}
    env.pop("TF_CONFIG", None)
    if tf_config:
        env["TF_CONFIG"] = json.dumps(tf_config)
    command = [sys.executable, "-m", "ganlib", "train", "dcgan", "--steps", "4", "--batch-size", "32", "--strategy", strategy, "--out", out]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)


def finished(process):
    out, err = process.communicate(timeout=600)
    assert process.returncode == 0, err[-3000:]
    return out


def weights(run_dir):
    gan = DCGAN()
    assert restore(gan, run_dir) == 4
    return gan.generator.get_weights() + gan.discriminator.get_weights()


def test_two_workers_match_one_process(tmp_path, mnist_path):
    cluster = {"worker": [f"127.0.0.1:{p}" for p in free_ports(2)]}
    out = str(tmp_path / "multi")
    workers = [train(out, "multiworker", mnist_path, {"cluster": cluster, "task": {"type": "worker", "index": i}}) for i in range(2)]
    for w in workers:
        assert "to step 4" in finished(w)
    finished(train(str(tmp_path / "single"), "default", mnist_path))
    chief, other, single = weights(out), weights(out + ".worker-1"), weights(str(tmp_path / "single"))
    for a, b in zip(chief, other):
        np.testing.assert_array_equal(a, b)  # the workers hold one model
    for a, b in zip(chief, single):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)  # ... the model one process trains on the same batches
    keras.utils.set_random_seed(0)  # the CLI's initial weights (--seed 0)
    initial = DCGAN().generator.get_weights()
    assert not any(np.allclose(a, b) for a, b in zip(chief, initial) if a.size > 1)  # and it trained
    np.testing.assert_allclose(read_history(out)["d_loss"], read_history(str(tmp_path / "single"))["d_loss"], rtol=1e-5)


def test_multiworker_without_tf_config_says_what_to_set(tmp_path, mnist_path):
    process = train(str(tmp_path / "x"), "multiworker", mnist_path)
    _, err = process.communicate(timeout=300)
    assert process.returncode == 2 and "TF_CONFIG" in err and "Traceback" not in err
