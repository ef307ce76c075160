"""Every metric for a set of digits, read against real test digits through the classifier.

    reference = embed_reference(classifier, x_test)
    measure(classifier, images, reference)      -> {"fcd": ..., "score": ..., ...}
    evaluate_run(run_dir, classifier, reference, n, (x_test, y_test))   (evaluate_model: the same for a model in memory)
    compare(classifier, x_train, (x_test, y_test), {name: run_dir})  -> the floor and every run
    table({name: measures})                     -> the text table the CLI prints

The real-data floor is ``measure(classifier, scale(x_train), reference)``: training digits
against test digits, what a perfect generator would score with the same sample sizes.
"""

import numpy as np

from ganlib import metrics, rundir, smoke
from ganlib.classifier import embed
from ganlib.data import scale

COLUMNS = {  # key: (header, format, direction)
    "fcd": ("FCD", "{:8.2f}", "lower is better"),
    "score": ("score", "{:6.2f}", "max 10"),
    "confident": ("confident", "{:9.1%}", "max softmax >= 0.9"),
    "classes": ("classes", "{:7d}", "of 10"),
    "kl_uniform": ("KL(h||U)", "{:8.3f}", "0 = balanced"),
    "precision": ("precision", "{:9.3f}", "quality"),
    "recall": ("recall", "{:6.3f}", "coverage"),
    "code_accuracy": ("code/test", "{:9.1%}", "InfoGAN: Q's code of test digits vs label"),
    "generated_code_accuracy": ("code/fake", "{:9.1%}", "code of generated digits vs classifier"),
    "label_accuracy": ("label", "{:7.1%}", "conditional: classifier's digit = the one asked for"),
}


def embed_reference(classifier, x_test):
    """Features and softmax of the real test digits (uint8), computed once."""
    return embed(classifier, scale(x_test))


def measure(classifier, images, reference, k=3, codes=None, labels=None):
    """All metrics for ``images`` in [-1, 1] against ``reference = embed_reference(...)``; with the
    InfoGAN ``codes`` the images were drawn with, also their accuracy as the classifier's labels (under the
    best matching of codes to digits); with the ``labels`` a conditional model was asked for, the share of
    images the classifier reads as that digit."""
    features, probs = embed(classifier, images)
    counts, covered, kl = metrics.class_histogram(probs)
    precision, recall = metrics.precision_recall(reference[0], features, k=k)
    return (
        {
            "fcd": metrics.frechet_distance(features, reference[0]),
            "score": metrics.classifier_score(probs),
            "confident": float(np.mean(probs.max(1) >= 0.9)),  # the share a reader would call recognisable
            "classes": covered,
            "kl_uniform": kl,
            "precision": precision,
            "recall": recall,
            "counts": counts.tolist(),
        }
        | (
            {}
            if codes is None
            else {"generated_code_accuracy": metrics.code_accuracy(codes, probs.argmax(1))[0]}
        )
        | (
            {}
            if labels is None
            else {"label_accuracy": float(np.mean(probs.argmax(1) == np.asarray(labels)))}
        )
    )


def generate(gan, n, seed=(1, 0), batch_size=1000):
    """``n`` digits in [-1, 1] from ``gan`` (a GAN, or the VAE), drawn in batches (a pure function of ``seed``)."""
    return np.concatenate([gan.generate(m, s).numpy() for m, s in _batches(n, seed, batch_size)])


def draw(gan, n, seed=(1, 0), batch_size=1000):
    """``(images, conditions)``: what ``generate`` draws, with what each image was drawn for (``GAN.draw``: InfoGAN's
    codes, a conditional model's labels, equally many of each digit)."""
    parts = [gan.draw(m, s, "all") for m, s in _batches(n, seed, batch_size)]
    return np.concatenate([p[0].numpy() for p in parts]), {
        k: np.concatenate([np.asarray(p[1][k]) for p in parts]) for k in parts[0][1]
    }


def _batches(n, seed, batch_size):
    return [(min(batch_size, n - i), (seed[0], seed[1] + i)) for i in range(0, n, batch_size)]


def evaluate_run(run_dir, classifier, reference, n, test=None):
    """Metrics of ``n`` digits from the finished run in ``run_dir``. For InfoGAN, with the test
    digits ``test = (x_test, y_test)``, also the accuracy of Q's categorical code as a classifier."""
    gan = rundir.build_model(rundir.read_run(run_dir))
    rundir.restore(gan, run_dir)  # the final checkpoint: both networks (InfoGAN's Q lives in D)
    return evaluate_model(gan, classifier, reference, n, test)


def evaluate_model(gan, classifier, reference, n, test=None):
    """Metrics of ``n`` digits from the model ``gan`` in memory (``evaluate_run`` without the run directory)."""
    images, conditions = draw(gan, n)
    result = measure(
        classifier, images, reference, codes=conditions.get("codes"), labels=conditions.get("labels")
    )
    accuracy = None if test is None else code_accuracy(gan, *test)
    return result if accuracy is None else result | {"code_accuracy": accuracy}


def code_accuracy(gan, x, y):
    """A model with a code of its own (InfoGAN): accuracy of its categorical code as a classifier of the uint8 digits
    ``x`` with labels ``y``; None for the others."""
    codes = [gan.predict_codes(scale(x[i : i + 1000])) for i in range(0, len(x), 1000)]
    return (
        None if codes[0] is None else metrics.code_accuracy(np.concatenate([c.numpy() for c in codes]), y)[0]
    )


def sample_size(x_train, n=None):
    """``n``, or by default as many digits as there are training digits, at most 10,000."""
    return n or min(len(x_train), 10000)


def compare(classifier, x_train, test, runs, n=None):
    """``{name: measures}`` for ``runs = {name: run_dir}``, after the real-data floor, ``n`` digits a row
    (default: as many as training digits, at most 10,000) against the test digits ``test = (x, y)``."""
    n = sample_size(x_train, n)
    reference = embed_reference(classifier, test[0])
    rows = {"real (train vs test)": measure(classifier, scale(x_train[:n]), reference)}
    for name, run_dir in runs.items():
        rows[name] = evaluate_run(run_dir, classifier, reference, n, test)
    return rows


def check(result, run_dir=None, *, defaults=True, **bounds):
    """Assert that a trained model's metrics ``result`` meet ``bounds`` (``fcd=30, classes=10``): at most the
    bound for FCD and KL(h||U), at least it for the others. A notebook's proof that its run learned.

    The bounds are measured for the notebook's default settings. A run with other settings (a "Try this"
    exercise) reports a miss instead of raising: ``run_dir`` says which (its settings against its model's
    defaults, ``rundir.changed_settings``), or ``defaults=False`` says so for a model without a run directory.
    In smoke mode (CI: a few steps of training, nothing to learn) the bounds are only printed."""
    said = {k: f"{COLUMNS[k][0]} {'<=' if k in _AT_MOST else '>='} {v}" for k, v in bounds.items()}
    if smoke.enabled():
        print(f"smoke mode: not checked ({', '.join(said.values())})")
        return
    worse = [
        f"{said[k]} (it has {result.get(k)})"
        for k, v in bounds.items()
        if k not in result or not (result[k] <= v if k in _AT_MOST else result[k] >= v)
    ]
    changed = rundir.changed_settings(run_dir) if run_dir else ([] if defaults else ["yours"])
    if worse and changed:
        print(
            f"not met with these settings ({', '.join(changed)}): {', '.join(worse)}. The bounds are the default "
            "settings'; compare your numbers with the committed run's."
        )
    elif worse:
        raise AssertionError("this run does not meet " + ", ".join(worse))
    else:
        print(f"checked: {', '.join(said.values())}")


_AT_MOST = ("fcd", "kl_uniform")


def table(rows):
    """A text table of ``{name: measures}``, one row each, with a line saying which way is better."""
    width = max(12, *(len(name) for name in rows))
    keys = [k for k in COLUMNS if any(k in r for r in rows.values())]
    lines = [" ".join([f"{'':{width}}"] + [f"{COLUMNS[k][0]:>{len(COLUMNS[k][1].format(0))}}" for k in keys])]
    for name, r in rows.items():
        cells = [COLUMNS[k][1].format(r[k]) if k in r else " " * len(COLUMNS[k][1].format(0)) for k in keys]
        lines.append(" ".join([f"{name:{width}}"] + cells))
    lines.append("(" + "; ".join(f"{COLUMNS[k][0]}: {COLUMNS[k][2]}" for k in keys) + ")")
    return "\n".join(lines)
