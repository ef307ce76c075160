"""Why WGAN and InfoGAN have the settings they have: each model at its default budget (seed 0)
beside the variants we started from, measured like `ganlib evaluate`.

    python benchmarks/ablations.py [--models wgan infogan] [--root runs/ablations]

- WGAN: the paper's settings (RMSprop 5e-5 for both, 5 critic steps a generator step) with Keras'
  RMSprop (epsilon inside the square root) and with PyTorch's (the authors' code), beside the default
  (2e-4, 2 critic steps). Each row at the same number of critic steps, the default's.
- InfoGAN: the continuous codes' Gaussian NLL weighted 0.1 / 1 (the authors' code) in L_I.

A finished run in ROOT/NAME is reused. About 25 minutes on a 2-core CPU for both models.
"""
import argparse
import os
import re

import keras

import ganlib
from ganlib import classifier, evaluate, losses, train
from ganlib.models.infogan import InfoGAN
from ganlib.models.wgan import WGAN


class PaperWGAN(WGAN):
    g_lr = d_lr = 5e-5
    n_critic = 5


class KerasRMSprop(PaperWGAN):
    def build_optimizers(self):
        return (keras.optimizers.RMSprop(self.g_lr, rho=0.99, epsilon=1e-8),
                keras.optimizers.RMSprop(self.d_lr, rho=0.99, epsilon=1e-8))


class ContinuousWeight01(InfoGAN):
    def info_loss(self, z, q):
        code, cont = z[:, self.noise_dim : self.noise_dim + self.categories], z[:, -self.continuous :]
        return losses.categorical_nll(code, q[:, : self.categories]) + 0.1 * losses.gaussian_nll(cont, q[:, self.categories :], 0.0)


VARIANTS = {
    "wgan": {
        "wgan: the paper's settings, Keras' RMSprop": KerasRMSprop,
        "wgan: the paper's settings": PaperWGAN,
        "wgan (default): lr 2e-4, n_critic 2": WGAN,
    },
    "infogan": {
        "infogan: continuous weight 0.1": ContinuousWeight01,
        "infogan (default): continuous weight 1": InfoGAN,
    },
}


def trained(cls, x, out):
    keras.utils.set_random_seed(0)  # as `python -m ganlib train NAME` does: the default rows equal its runs
    gan = cls()
    if os.path.exists(os.path.join(out, "generator.keras")):
        train.restore(gan, out)
    else:
        ganlib.fit(gan, x, out, seed=0, resume=os.path.exists(os.path.join(out, "run.json")), verbose=0)
    return gan


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", nargs="+", default=list(VARIANTS), choices=list(VARIANTS))
    parser.add_argument("--root", default=os.path.join("runs", "ablations"))
    args = parser.parse_args()
    (x, y), (xt, yt) = ganlib.load_mnist()
    model = classifier.get_classifier(x, y)
    reference = evaluate.embed_reference(model, xt)
    n = evaluate.sample_size(x)
    for name in args.models:
        rows = {}
        for label, cls in VARIANTS[name].items():
            gan = trained(cls, x, os.path.join(args.root, re.sub(r"[^a-z0-9.]+", "-", label).strip("-")))
            rows[label] = evaluate.evaluate_model(gan, model, reference, n, (xt, yt))
        print(f"{name}, seed 0, default budget; {n} digits a row against {len(xt)} test digits")
        print(evaluate.table(rows) + "\n")


if __name__ == "__main__":
    main()
