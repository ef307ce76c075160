"""The time-to-quality benchmark runs (in smoke mode: a few seconds of training on a small slice)."""

import os
import re
import sys

import pytest

import ganlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "benchmarks"))
import throughput  # noqa: E402
import time_to_quality  # noqa: E402


@pytest.fixture(autouse=True)
def smoke_data_uncapped_steps(monkeypatch):
    """Smoke mode's 256 digits, without its cap of 8 steps a run: the benchmark's clock must reach its budget."""
    monkeypatch.setattr(ganlib.smoke, "STEPS", 10**9)


def test_time_to_quality_prints_a_curve_for_each_recipe_and_seed(tmp_path, monkeypatch, mnist_path, capsys):
    monkeypatch.chdir(tmp_path)  # the classifier cache goes to ./runs
    monkeypatch.setenv("GANLIB_MNIST", mnist_path)
    # the clock counts the first call's tracing (3-5 s here, 8.5 s for WGAN on a day this machine ran 2.4 times
    # slower): a budget well beyond it
    time_to_quality.main(
        [
            "dcgan --set width=4 --set latent_dim=8",
            "wgan --set width=4 --set ema=0",
            "--budget",
            "16",
            "--every",
            "4",
            "--seeds",
            "0",
            "1",
            "--n",
            "100",
        ]
    )
    out = capsys.readouterr().out
    for recipe in ("dcgan --set width=4 --set latent_dim=8", "wgan --set width=4 --set ema=0"):
        for seed in (0, 1):
            rows = re.findall(
                rf"^{re.escape(recipe)} \({seed}\)\s+([\d.]+)\s+(\d+)\s+([\d.]+)\s+[\d.]+\s+[\d.]+%\s+\d+\s+([\d.]+)\s+([\d.]+)",
                out,
                re.M,
            )
            assert len(rows) >= 2, out  # evaluated along the way, not only at the end
            seconds = [float(r[0]) for r in rows]
            assert seconds == sorted(seconds) and seconds[-1] >= 16.0
            assert all(int(r[1]) > 0 for r in rows)
            assert all(0 <= float(r[3]) <= 1 and 0 <= float(r[4]) <= 1 for r in rows)  # precision, recall
        final = re.search(
            rf"^{re.escape(recipe)}\s+[\d.]+ s,\s+\d+ steps, FCD\s+[\d.]+ ± [\d.]+, "
            rf"precision ([\d.]+) ± [\d.]+, recall ([\d.]+) ± [\d.]+",
            out,
            re.M,
        )
        assert final and all(0 <= float(v) <= 1 for v in final.groups()), out
    assert os.path.exists(tmp_path / "runs")


def test_time_to_quality_counts_steps_with_steps_and_saves_grids(tmp_path, monkeypatch, mnist_path, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GANLIB_MNIST", mnist_path)
    # budget 0: the recipe's own --steps (a model's default without it); an evaluation every 12 steps, and at the end
    time_to_quality.main(
        [
            "dcgan --set width=4 --set latent_dim=8 --steps 30",
            "--steps",
            "--budget",
            "0",
            "--every",
            "12",
            "--n",
            "100",
            "--grids",
            str(tmp_path / "grids"),
        ]
    )
    steps = re.findall(r"^dcgan .* \(0\)\s+[\d.]+\s+(\d+)\s", capsys.readouterr().out, re.M)
    assert steps == ["12", "24", "30"]
    # and a progress grid an evaluation, to look at
    assert sorted(os.listdir(tmp_path / "grids")) == [
        f"dcgan --set width=4 --set latent_dim=8 --steps 30 (0) {n}.png" for n in (12, 24, 30)
    ]


def test_a_bad_recipe_fails_before_training(capsys):
    with pytest.raises(SystemExit):
        time_to_quality.main(["dcgan --steps nope"])
    assert "expected a positive whole number" in capsys.readouterr().err


def test_the_overhead_benchmark_times_fits_own_calls(mnist_path, monkeypatch, capsys):
    monkeypatch.setenv("GANLIB_SMOKE", "1")
    monkeypatch.setattr(ganlib.smoke, "STEPS", 8)  # fit trains 8 steps: two epochs of 4 on 256 digits
    (x, _), _ = ganlib.load_mnist(mnist_path)
    throughput.overhead(x[:256], calls=2, n=3)
    out = capsys.readouterr().out
    assert re.search(
        r"^DCGAN default run: 8 steps in 2 calls of the compiled loop; fit\(\) took [\d.]+ s", out, re.M
    ), out
    for way in ("in the run", "apart"):
        assert re.search(
            rf"^  {way}: a step [\d.]+ ms.*overhead -?[\d.]+ s = -?[\d.]+% of the run$", out, re.M
        ), out
