"""Which tf.distribute strategy to train under."""

import json
import os

import tensorflow as tf

from ganlib.errors import GanlibError

STRATEGIES = ("auto", "mirrored", "multiworker", "default")


def get_strategy(name="auto"):
    """``auto``: MirroredStrategy over all visible GPUs if there are two or more, else the default
    strategy (which places the work on the one GPU, if any): with a single device the mirroring
    machinery only costs time (10.4% of DCGAN's throughput here, `python benchmarks/throughput.py`).

    ``mirrored`` forces MirroredStrategy over every visible device of the machine's fastest
    kind (GPUs, else the CPU); ``default`` forces the no-op default strategy.
    ``multiworker``: MultiWorkerMirroredStrategy over the machines named in the ``TF_CONFIG``
    environment variable (one process a machine, each with its own ``task.index``); create it
    before any other TensorFlow work in the process.
    Build models and optimizers (and call ``optimizer.build``) inside ``strategy.scope()``.
    """
    # multiworker first: listing devices would start TensorFlow before the collectives are set up
    if name == "multiworker":
        cluster = worker_task()
        if cluster is None:
            raise GanlibError(
                "multiworker training reads the cluster from TF_CONFIG, which is not set. On each machine set e.g. "
                'TF_CONFIG=\'{"cluster": {"worker": ["host1:12345", "host2:12345"]}, "task": {"type": "worker", "index": 0}}\' '
                "with that machine's index."
            )
        return tf.distribute.MultiWorkerMirroredStrategy()
    gpus = tf.config.list_logical_devices("GPU")
    if name == "auto":
        name = "mirrored" if len(gpus) > 1 else "default"
    if name == "default":
        return tf.distribute.get_strategy()
    if name == "mirrored":
        devices = gpus or tf.config.list_logical_devices("CPU")
        # All-reduce by copying to one device, not with collective ops: collectives break when a
        # second model is trained in the same process (tensorflow/tensorflow#62790), and for
        # models this small the faster all-reduce would not show.
        return tf.distribute.MirroredStrategy(
            [d.name for d in devices], cross_device_ops=tf.distribute.ReductionToOneDevice()
        )
    raise GanlibError(f"unknown strategy {name!r}; choose one of {', '.join(STRATEGIES)}.")


def describe_devices():
    """Which devices train, in one line: the GPUs TensorFlow sees, or the CPU with how to get a GPU on Colab."""
    gpus = tf.config.list_logical_devices("GPU")
    if gpus:
        return (
            f"training on {len(gpus)} GPU{'s' if len(gpus) > 1 else ''} ({', '.join(d.name for d in gpus)})"
        )
    return "training on the CPU: no GPU found (on Colab: Runtime > Change runtime type > GPU)"


def worker_task():
    """``(index, number of workers)`` from ``TF_CONFIG``, or None when it is not set."""
    text = os.environ.get("TF_CONFIG")
    if not text:
        return None
    try:
        config = json.loads(text)
        return int(config["task"]["index"]), len(config["cluster"]["worker"])
    except (ValueError, KeyError, TypeError) as e:
        raise GanlibError(f"TF_CONFIG is not valid ({e.__class__.__name__}: {e}): {text!r}") from None
