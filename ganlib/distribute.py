"""Which tf.distribute strategy to train under."""
import tensorflow as tf

from ganlib.errors import GanlibError

STRATEGIES = ("auto", "mirrored", "default")


def get_strategy(name="auto"):
    """``auto``: MirroredStrategy over all visible GPUs if there are two or more, else the default
    strategy (which places the work on the one GPU, if any): with a single device the mirroring
    machinery only costs time (12% of DCGAN's throughput here, benchmarks/throughput.py).

    ``mirrored`` forces MirroredStrategy over every visible device of the machine's fastest
    kind (GPUs, else the CPU); ``default`` forces the no-op default strategy.
    Build models and optimizers (and call ``optimizer.build``) inside ``strategy.scope()``.
    """
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
