"""Numbers for generated digits."""
import numpy as np
from scipy.optimize import linear_sum_assignment


def code_accuracy(codes, labels, k=10):
    """Accuracy of unsupervised cluster codes as a classifier, under the best one-to-one mapping
    of codes to labels (the Hungarian method on the k x k confusion matrix).

    Returns ``(accuracy, mapping)`` with ``mapping[code] = label``.
    """
    codes, labels = np.asarray(codes, np.int64), np.asarray(labels, np.int64)
    if codes.shape != labels.shape or codes.ndim != 1:
        raise ValueError(f"codes {codes.shape} and labels {labels.shape} must be equal-length vectors")
    confusion = np.zeros((k, k), np.int64)
    np.add.at(confusion, (codes, labels), 1)
    rows, cols = linear_sum_assignment(confusion, maximize=True)
    return confusion[rows, cols].sum() / len(codes), dict(zip(rows.tolist(), cols.tolist()))
