"""TensorFlow's C++ start-up lines, hidden: call ``quiet_tensorflow()`` before anything imports TensorFlow."""

import os
import sys


def quiet_tensorflow():
    """Import TensorFlow and find its devices with file descriptor 2 pointed at /dev/null.

    TensorFlow writes its C++ start-up lines there (absl's 'All log messages before absl::InitializeLog()',
    oneDNN's notice and, on a machine without a GPU, 'failed call to cuInit: ... CUDA error') before any
    setting can stop them, and they read like a failure. Its later C++ log is cut to fatal errors
    (``TF_CPP_MIN_LOG_LEVEL=3``) unless the user set ``TF_CPP_MIN_LOG_LEVEL``, which then keeps its meaning.
    The start-up lines show only when asked for: ``TF_CPP_MIN_LOG_LEVEL`` 0 or 1, or ``GANLIB_VERBOSE_TF=1``.
    Errors that matter reach Python as exceptions either way.
    """
    if (
        os.environ.get("TF_CPP_MIN_LOG_LEVEL") in ("0", "1")
        or os.environ.get("GANLIB_VERBOSE_TF", "0") != "0"
    ):
        return
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    sys.stderr.flush()
    saved, devnull = os.dup(2), os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        import tensorflow as tf

        tf.config.list_physical_devices()  # the CUDA probe; physical devices do not start the runtime (multi-worker needs that later)
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)
