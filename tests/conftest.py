import os

import numpy as np
import pytest
import tensorflow as tf

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED_MNIST = os.path.join(ROOT, "..", "shared", "data", "mnist-offline.npz")

# Two logical CPU devices, so MirroredStrategy can run 2 replicas on a CPU-only machine.
# This must happen before TensorFlow initialises its devices.
_cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(_cpu, [tf.config.LogicalDeviceConfiguration()] * 2)


@pytest.fixture(scope="session")
def mnist_path():
    """The MNIST .npz the suite uses: $GANLIB_MNIST, else the shared offline file beside the repo."""
    path = os.environ.get("GANLIB_MNIST") or SHARED_MNIST
    assert os.path.isfile(path), (
        f"no MNIST file at {path}: set GANLIB_MNIST to an .npz in Keras' mnist.npz layout"
    )
    return path


@pytest.fixture(scope="session")
def digits(mnist_path):
    """256 training digits, 25-26 of each class (a strided slice of the class-sorted file)."""
    with np.load(mnist_path) as f:
        x, y = f["x_train"], f["y_train"]
    k = len(x) // 256
    return x[::k][:256], y[::k][:256]
