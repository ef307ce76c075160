"""The classifier, its cache, and `python -m ganlib classifier | evaluate` (smoke-sized)."""

import os

import numpy as np
import pytest
from helpers import error_of

from ganlib import classifier, cli, evaluate, scale
from ganlib.cli import main
from ganlib.errors import GanlibError


@pytest.fixture(scope="module")
def trained(digits, tmp_path_factory):
    x, y = digits
    cache = str(tmp_path_factory.mktemp("cache"))
    return classifier.get_classifier(x, y, cache_dir=cache, verbose=0), cache


def test_classifier_learns_and_is_cached(digits, trained):
    x, y = digits
    model, cache = trained
    assert classifier.accuracy(model, x, y) > 0.9  # its own 256 training digits
    path = classifier.cache_path(x, cache)
    assert os.path.exists(path)
    with pytest.MonkeyPatch.context() as patch:  # loaded, not retrained
        patch.setattr(
            classifier, "train_classifier", lambda *a, **kw: pytest.fail("retrained although it was cached")
        )
        again = classifier.get_classifier(x, y, cache_dir=cache, verbose=0)
    np.testing.assert_allclose(
        classifier.embed(again, scale(x[:20]))[1], classifier.embed(model, scale(x[:20]))[1], atol=1e-6
    )
    assert classifier.cache_path(x[:-1], cache) != path  # other training data, other classifier


def test_embed_shapes_and_refuses_unscaled_images(digits, trained):
    x, _ = digits
    features, probs = classifier.embed(trained[0], scale(x[:7]))
    assert features.shape == (7, 128) and probs.shape == (7, 10)
    np.testing.assert_allclose(probs.sum(1), 1, rtol=1e-5)
    with pytest.raises(ValueError, match="ganlib.scale"):
        classifier.embed(trained[0], x[:7].astype(np.float32))


def test_corrupt_classifier_file_names_itself(tmp_path):
    path = tmp_path / "classifier.keras"
    path.write_bytes(b"not a keras file")
    with pytest.raises(GanlibError, match="classifier.keras.*Delete it"):
        classifier.load_classifier(str(path))


def test_measure_real_digits_against_themselves(digits, trained):
    x, _ = digits
    reference = evaluate.embed_reference(trained[0], x)
    m = evaluate.measure(trained[0], scale(x), reference)
    assert m["fcd"] == pytest.approx(0, abs=1e-6)
    assert m["precision"] == m["recall"] == 1.0
    assert m["classes"] == 10 and m["score"] > 5


def test_table_has_a_row_per_run_and_skips_missing_cells():
    rows = {"real": {"fcd": 1.0, "score": 9.0}, "infogan": {"fcd": 50.0, "score": 7.0, "code_accuracy": 0.5}}
    lines = evaluate.table(rows).splitlines()
    assert lines[0].split() == ["FCD", "score", "code/test"]
    assert lines[1].split() == ["real", "1.00", "9.00"] and lines[2].split() == [
        "infogan",
        "50.00",
        "7.00",
        "50.0%",
    ]


def test_cli_classifier_and_evaluate(tmp_path, monkeypatch, mnist_path, capsys):
    monkeypatch.chdir(tmp_path)  # the classifier cache goes to ./runs
    monkeypatch.setenv("GANLIB_MNIST", mnist_path)
    assert main(["train", "infogan", "--steps", "2", "--out", "run"]) == 0
    assert main(["classifier"]) == 0
    assert "test accuracy" in capsys.readouterr().out
    assert len(os.listdir("runs")) == 1
    assert main(["evaluate", "run", "--n", "64"]) == 0
    out = capsys.readouterr().out.splitlines()
    header, floor, run = out[2:5]
    assert header.split()[:3] == ["FCD", "score", "confident"] and header.split()[-2:] == [
        "code/test",
        "code/fake",
    ]
    assert floor.startswith("real (train vs test)") and run.startswith("run ")
    assert all(np.isfinite(float(v.rstrip("%"))) for v in run.split()[1:])


def test_cli_evaluate_checks_its_run_directories_before_the_classifier(
    tmp_path, monkeypatch, mnist_path, capsys
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GANLIB_MNIST", mnist_path)
    monkeypatch.setattr(
        cli,
        "_classifier",
        lambda data: pytest.fail("the classifier loaded before the arguments were checked"),
    )
    assert "nowhere is not a readable ganlib run" in error_of(capsys, ["evaluate", "nowhere"])
    assert main(["train", "dcgan", "--steps", "2", "--set", "width=4", "--out", "run"]) == 0
    os.remove("run/generator.keras")  # what a run killed before its end leaves
    capsys.readouterr()
    assert "run has no generator.keras: is the run finished?" in error_of(capsys, ["evaluate", "run"])


def test_check_asserts_what_a_run_learned_except_in_smoke_mode(monkeypatch, capsys):
    monkeypatch.setenv("GANLIB_SMOKE", "0")
    result = {"fcd": 18.5, "classes": 10, "code_accuracy": 0.91}
    evaluate.check(result, fcd=30, classes=10, code_accuracy=0.9)
    assert capsys.readouterr().out.startswith("checked: FCD <= 30, classes >= 10, code/test >= 0.9")
    with pytest.raises(AssertionError, match=r"FCD <= 15 \(it has 18.5\)"):
        evaluate.check(result, fcd=15)
    with pytest.raises(AssertionError, match="code/test >= 0.95"):
        evaluate.check(result, code_accuracy=0.95)
    with pytest.raises(AssertionError, match="code/fake"):
        evaluate.check(result, generated_code_accuracy=0.5)  # a bound on a metric the run lacks fails
    monkeypatch.setenv("GANLIB_SMOKE", "1")
    evaluate.check(result, fcd=15)
    assert capsys.readouterr().out.startswith("smoke mode: not checked (FCD <= 15)")


def test_check_reports_a_miss_of_a_run_with_other_settings_and_raises_for_the_defaults(
    tmp_path, monkeypatch, capsys
):
    """A "Try this" exercise changes the settings the bounds were measured for: its miss is reported, not raised.
    A run of the model's defaults (hyperparameters, steps, batch size, seed) that misses still raises."""
    from ganlib import rundir
    from ganlib.models import DCGAN

    monkeypatch.setenv("GANLIB_SMOKE", "0")

    def run(name, steps, seed=0, batch_size=64, **hparams):
        out = str(tmp_path / name)
        os.makedirs(out)
        rundir.write_run(out, DCGAN(**hparams), seed, batch_size)
        rundir.write_history(out, [{"step": s, "d_loss": 1.0} for s in range(1, steps + 1)])
        return out

    default = run("default", DCGAN.default_steps)
    assert rundir.changed_settings(default) == []
    result = {"fcd": 61.5, "classes": 10}
    with pytest.raises(AssertionError, match=r"FCD <= 30 \(it has 61.5\)"):
        evaluate.check(result, default, fcd=30, classes=10)
    paper = run("paper", 200, seed=3, g_lr=2e-4, ema=0.0)
    assert rundir.changed_settings(paper) == ["g_lr=0.0002", "ema=0.0", "steps=200", "seed=3"]
    evaluate.check(result, paper, fcd=30, classes=10)
    out = capsys.readouterr().out
    assert out.startswith(
        "not met with these settings (g_lr=0.0002, ema=0.0, steps=200, seed=3): FCD <= 30 (it has 61.5)"
    )
    evaluate.check(result, defaults=False, fcd=30)  # a model without a run directory (07's VAE)
    assert capsys.readouterr().out.startswith("not met with these settings (yours): FCD <= 30")
    with pytest.raises(AssertionError):
        evaluate.check(result, defaults=True, fcd=30)
    evaluate.check(result, paper, fcd=70, classes=10)  # met: said so whatever the settings
    assert capsys.readouterr().out.startswith("checked: FCD <= 70")
