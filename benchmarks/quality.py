"""How recognisable are a run's digits? A quick judge until the evaluation metrics land.

    python benchmarks/quality.py runs/dcgan [more run dirs]

Trains (once, cached in runs/judge.keras) a small CNN on MNIST's training split, reports
its test accuracy, then classifies 1,000 digits from each run's saved generator and
prints: the share the judge is confident about (max softmax >= 0.9), how many of the
ten classes those confident digits cover, and their per-class counts. The same numbers
for 1,000 real test digits are printed first, as the reference.
"""
import os
import sys

import keras
import numpy as np

import ganlib

JUDGE = os.path.join("runs", "judge.keras")


def judge():
    if os.path.exists(JUDGE):
        return keras.models.load_model(JUDGE)
    (x, y), (xt, yt) = ganlib.load_mnist()
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            keras.layers.Conv2D(32, 3, activation="relu"),
            keras.layers.MaxPooling2D(),
            keras.layers.Conv2D(64, 3, activation="relu"),
            keras.layers.MaxPooling2D(),
            keras.layers.Flatten(),
            keras.layers.Dropout(0.3),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(ganlib.scale(x), y, epochs=15, batch_size=64, verbose=0)
    print(f"judge: test accuracy {model.evaluate(ganlib.scale(xt), yt, verbose=0)[1]:.4f} (trained on {len(x)} digits)")
    os.makedirs(os.path.dirname(JUDGE), exist_ok=True)
    model.save(JUDGE)
    return model


def report(name, images, model):
    p = model.predict(images, verbose=0)
    confident = p.max(1) >= 0.9
    counts = np.bincount(p.argmax(1)[confident], minlength=10)
    print(
        f"{name:30s} confident {confident.mean():6.1%}  classes {np.sum(counts >= 10):2d}/10  "
        f"per class {counts.tolist()}"
    )


def main(run_dirs):
    model = judge()
    _, (xt, _) = ganlib.load_mnist()
    report("real test digits", ganlib.scale(xt[:1000]), model)
    for run_dir in run_dirs:
        report(run_dir, ganlib.load_run(run_dir).generate(1000, (1, 0)), model)


if __name__ == "__main__":
    main(sys.argv[1:])
