"""The committed notebooks are paired with notebooks/src by jupytext (nbval executes them in smoke mode)."""

import json
import os
import subprocess
import sys

import nbformat
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NOTEBOOKS = os.path.join(ROOT, "notebooks")


def _names():
    return sorted(f[: -len(".ipynb")] for f in os.listdir(NOTEBOOKS) if f.endswith(".ipynb"))


def _read(name):
    return nbformat.read(os.path.join(NOTEBOOKS, f"{name}.ipynb"), as_version=4)


def _cells(nb):
    return [(c.cell_type, c.source, sorted(c.metadata.get("tags", []))) for c in nb.cells]


def test_every_notebook_matches_its_source():
    """notebooks/NAME.ipynb and notebooks/src/NAME.py (jupytext's percent format, paired in jupytext.toml) hold
    the same cells, tags included."""
    import jupytext

    sources = sorted(
        f[: -len(".py")] for f in os.listdir(os.path.join(NOTEBOOKS, "src")) if f.endswith(".py")
    )
    assert sources == _names(), "every notebook has a source and every source a notebook"
    stale = [
        name
        for name in sources
        if _cells(jupytext.read(os.path.join(NOTEBOOKS, "src", f"{name}.py"))) != _cells(_read(name))
    ]
    assert not stale, (
        f"stale: {stale}; update with: jupytext --sync notebooks/src/NAME.py (see README, 'Editing a notebook')"
    )


def test_each_notebook_opens_itself_on_colab_and_installs_ganlib_from_the_repository():
    """The badge and the install cell name the repository of pyproject.toml, the one place it is kept."""
    import re

    url = (
        re.search(r'^Repository\s*=\s*"([^"]+)"', open(os.path.join(ROOT, "pyproject.toml")).read(), re.M)
        .group(1)
        .rstrip("/")
    )
    colab = url.replace("https://github.com/", "https://colab.research.google.com/github/")
    for name in _names():
        badge, install = _read(name).cells[:2]
        assert f"({colab}/blob/main/notebooks/{name}.ipynb)" in badge.source, name
        assert f'!pip install -q "ganlib @ git+{url}"' in install.source, name


def test_no_test_machinery_in_the_code_a_student_reads():
    """nbval is steered by cell tags, and smoke mode (CI) only in cells whose source is hidden."""
    for name in _names():
        for cell in _read(name).cells:
            if cell.cell_type == "code" and not cell.metadata.get("jupyter", {}).get("source_hidden"):
                assert "NBVAL" not in cell.source and "smoke" not in cell.source.lower(), (name, cell.source)


def test_every_notebook_ends_with_exercises_and_next_steps_and_says_which_devices_train():
    for name in _names():
        cells = _read(name).cells
        ending = "\n".join(c.source for c in cells[-2:] if c.cell_type == "markdown")
        assert "## Try this" in ending and "## Next steps" in ending, name
        assert any(c.cell_type == "code" and "describe_devices()" in c.source for c in cells), name


def test_committed_notebooks_carry_outputs_of_a_real_run():
    for name in _names():
        outputs = [o for c in _read(name).cells if c.cell_type == "code" for o in c.outputs]
        assert any("image/png" in o.get("data", {}) for o in outputs), f"{name} has no figure outputs"
        assert not [o for o in outputs if o.output_type == "error"], f"{name} has error outputs"


def test_a_training_cell_prints_about_20_lines():
    """Pacing: a cell that trains (``fit(``) prints a line every so many steps or epochs, not a line each, in the
    committed run: at most 25 (about 20 of training, the run set aside, the time and fingerprint)."""
    for name in _names():
        for c in _read(name).cells:
            if c.cell_type == "code" and "fit(" in c.source:
                lines = sum(len("".join(o.get("text", "")).splitlines()) for o in c.outputs)
                assert lines <= 25, f"{name}: a training cell printed {lines} lines"


def test_notebook_kernels_of_the_suite_run_outside_the_repository():
    """nbval starts a kernel in notebooks/ (cwd = the notebook's folder); the suite's kernels must work
    elsewhere, so a smoke run's `runs/<model>` never replaces a user's notebooks/runs/<model>."""
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3", cwd=NOTEBOOKS)
    try:
        out = []
        kc.execute_interactive(
            "import os; print(os.getcwd())",
            timeout=60,
            output_hook=lambda m: out.append(m["content"].get("text", "")),
        )
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    cwd = "".join(out).strip()
    assert os.path.isdir(cwd) and not os.path.realpath(cwd).startswith(os.path.realpath(ROOT)), cwd


def test_committed_notebooks_ran_their_default_settings_in_full(mnist_path):
    """Each model notebook's printed step counts are its STEPS settings, and its digit count is the full file's:
    the committed outputs are not a smoke run's."""
    import re

    import numpy as np

    with np.load(mnist_path) as f:
        full = len(f["x_train"])
    checked = 0
    for name in _names():
        nb = _read(name)
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
        counts = {int(n) for n in re.findall(r"(\d+) steps in \d+ s", text)}
        settings = {int(n) for n in re.findall(r"^\w*STEPS = (\d+)", code, re.M)}  # STEPS, GP_STEPS, ...
        if counts:
            assert counts == settings, (name, counts, settings)
            checked += 1
        assert all(int(n) == full for n in re.findall(r"(\d+) training digits", text)), name
    assert checked >= 6  # 01-05, 08


# What each training notebook fingerprints (ganlib.fingerprint): for the names its settings cell defines, the models
# its training cells build and the settings they pass, in the order they print them; None: the model's default steps
# and batch size and the seed (06 prints each run's, from its run.json).
def _run(s, steps="STEPS"):  # a training cell's settings, as it passes them: steps, batch size, seed
    return s[steps], s["BATCH_SIZE"], s["SEED"]


FINGERPRINTED = {
    "01_vanilla_gan": lambda s: [
        ("vanilla", s["HPARAMS"], _run(s)),
        ("vanilla-minimax", s["MINIMAX_HPARAMS"], _run(s)),
    ],
    "02_dcgan": lambda s: [("dcgan", s["HPARAMS"], _run(s))],
    "03_lsgan": lambda s: [("lsgan", s["HPARAMS"], _run(s))],
    "04_wgan": lambda s: [("wgan", s["HPARAMS"], _run(s)), ("wgan-gp", s["GP_HPARAMS"], _run(s, "GP_STEPS"))],
    "05_infogan": lambda s: [("infogan", s["HPARAMS"], _run(s))],
    "06_compare": lambda s: [(m, {}, None) for m in s["MODELS"]],
    "07_vae": lambda s: [("vae", {"latent_dim": s["LATENT_DIM"]}, _run(s, "EPOCHS"))],
    "08_conditional": lambda s: [(m, s["HPARAMS"][m], _run(s)) for m in ("cgan", "acgan")],
}


def test_each_committed_run_was_made_by_todays_code_and_settings():
    """Each training notebook prints the fingerprint of the code and settings that trained it; the committed one must
    be the current code's with the notebook's settings, so a change to a model, a loss, the step, the loop, the data,
    the classifier or the metrics names the notebooks to rerun (a comment or docstring does not: rundir.fingerprint)."""
    import re

    import ganlib
    from ganlib.models import VAE

    stale, checked = [], 0
    for name, runs in FINGERPRINTED.items():
        nb = _read(name)
        settings = {}
        exec(next(c.source for c in nb.cells if "parameters" in c.metadata.get("tags", [])), settings)
        calls = sum(c.source.count("ganlib.fingerprint(") for c in nb.cells if c.cell_type == "code")
        assert calls >= (0 if name == "06_compare" else 1), (name, calls)  # 06 prints its runs' run.json
        text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
        printed = re.findall(r"fingerprint ([0-9a-f]{12})", text)
        for model, hparams, args in runs(settings):
            gan = VAE(**hparams) if model == "vae" else ganlib.models.get(model)(**hparams)
            args = args or (gan.default_steps, gan.default_batch_size, settings["SEED"])
            if ganlib.fingerprint(gan, *args) not in printed:
                stale.append(f"{name} ({model})")
            checked += 1
    assert not stale, f"rerun {', '.join(stale)}: the committed outputs were made by other code or settings"
    assert checked >= 17


def test_each_model_notebook_checked_what_its_committed_run_learned():
    """Each model notebook checks its run against stated bounds (``evaluate.check``), and its committed outputs
    show the check passing out of smoke mode: a run that learned nothing, or a smoke run, cannot be committed."""
    notebooks = [
        "01_vanilla_gan",
        "02_dcgan",
        "03_lsgan",
        "04_wgan",
        "05_infogan",
        "07_vae",
        "08_conditional",
    ]
    for name in notebooks:
        cells = [c for c in _read(name).cells if c.cell_type == "code" and "evaluate.check(" in c.source]
        assert cells, f"{name} checks nothing it learned"
        text = "".join(o.get("text", "") for c in cells for o in c.outputs)
        assert "checked: " in text and "smoke mode" not in text, (name, text)


def test_each_committed_check_shows_the_bounds_its_source_states_now(monkeypatch, capsys):
    """A bound changed in a notebook's source without a rerun leaves the committed 'checked: ...' line stale. (A change
    to the model code without a rerun is not caught here.)"""
    import ast

    from ganlib import evaluate

    monkeypatch.setenv("GANLIB_SMOKE", "0")
    checked = 0
    for name in _names():
        for cell in _read(name).cells:
            if cell.cell_type != "code" or "evaluate.check(" not in cell.source:
                continue
            text = "".join(o.get("text", "") for o in cell.outputs)
            calls = [
                node
                for node in ast.walk(ast.parse(cell.source))
                if isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "check"
            ]
            for call in calls:
                bounds = {k.arg: ast.literal_eval(k.value) for k in call.keywords if k.arg != "defaults"}
                evaluate.check(bounds, **bounds)  # what the check prints for these bounds when met
                expected = capsys.readouterr().out.strip()
                assert expected in text, (
                    f"{name}: the source checks {expected!r}, the committed output shows {text!r}: rerun it"
                )
                checked += 1
    assert checked >= 7


def test_no_notebook_deletes_a_previous_run():
    """Re-running a training notebook with RESUME = False moves the previous run aside (ganlib.set_aside)."""
    import re

    trained = 0
    for name in _names():
        code = "\n".join(c.source for c in _read(name).cells if c.cell_type == "code")
        assert "rmtree" not in code and "os.remove" not in code, name
        for run_dir in re.findall(r"ganlib\.fit\(\w+, \w+, ([\w\[\]]+),[^)]*resume=RESUME", code):
            assert f"ganlib.set_aside({run_dir})" in code, (name, run_dir)
            trained += 1
    assert trained == 8  # 01, 04 and 08 train two models (08 in a loop), 02, 03 and 05 one


def test_the_train_step_of_02_is_ganlibs_step(digits):
    """02's copyable ``train_step`` (its cell, executed here) and ``ganlib.make_train_step`` with DCGAN's losses, from
    the same weights, optimiser state and noise, give the same losses and weights, step after step."""
    import jupytext
    import keras
    import numpy as np
    import tensorflow as tf

    import ganlib

    source = next(
        c.source
        for c in jupytext.read(os.path.join(NOTEBOOKS, "src", "02_dcgan.py")).cells
        if "def train_step(" in c.source
    )
    keras.utils.set_random_seed(0)
    ours = ganlib.models.DCGAN()
    keras.utils.set_random_seed(0)
    theirs = ganlib.models.DCGAN()
    cell = {
        "tf": tf,
        "keras": keras,
        "generator": theirs.generator,
        "discriminator": theirs.discriminator,
        "g_optimizer": theirs.g_optimizer,
        "d_optimizer": theirs.d_optimizer,
        "noise": tf.random.Generator.from_seed(5),
        "cross_entropy": keras.losses.BinaryCrossentropy(from_logits=True),
    }
    exec(source, cell)
    step, noise = ganlib.make_train_step(ours), tf.random.Generator.from_seed(5)
    for i in range(3):
        real = ganlib.scale(digits[0][32 * i : 32 * (i + 1)])
        d_loss, g_loss = cell["train_step"](real)
        z_d, z_g = noise.normal((32, 64)), noise.normal((32, 64))  # what train_step drew, in its order
        metrics = step((real, z_d, z_g))
        np.testing.assert_allclose(
            [float(d_loss), float(g_loss)], [float(metrics["d_loss"]), float(metrics["g_loss"])], rtol=1e-5
        )
        for mine, yours in zip(
            ours.generator.weights + ours.discriminator.weights,
            theirs.generator.weights + theirs.discriminator.weights,
        ):
            np.testing.assert_allclose(
                mine.numpy(), yours.numpy(), rtol=1e-4, atol=1e-6, err_msg=f"step {i + 1}: {mine.path}"
            )


def test_every_notebook_asks_colab_for_a_gpu_and_tags_its_settings_for_papermill():
    """Colab opens each notebook on a GPU runtime (``accelerator: GPU``, kept by jupytext.toml's metadata filter),
    and each has one settings cell tagged ``parameters`` (papermill's ``-p NAME VALUE`` replaces its values)."""
    import ast

    for name in _names():
        nb = _read(name)
        assert nb.metadata.get("accelerator") == "GPU", name
        tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1, (name, len(tagged))
        assigned = [t.id for node in ast.parse(tagged[0].source).body for t in node.targets]
        assert assigned and all(n.isupper() for n in assigned), (
            name,
            assigned,
        )  # settings only, nothing else


def _papermill(name, tmp_path, monkeypatch, **parameters):
    """Run notebook ``name`` through papermill in smoke mode (its kernel starts in the suite's temporary
    directory, conftest.py), its copy and output in ``tmp_path``. Cells tagged
    nbval-skip (TensorBoard's server, which would outlive the run) are left out, as nbval leaves them out."""
    import papermill

    monkeypatch.setenv("GANLIB_SMOKE", "1")
    nb = _read(name)
    nb.cells = [c for c in nb.cells if "nbval-skip" not in c.metadata.get("tags", [])]
    source = tmp_path / f"{name}.ipynb"
    nbformat.write(nb, source)
    done = papermill.execute_notebook(
        str(source),
        str(tmp_path / f"{name}.out.ipynb"),
        parameters=parameters,
        cwd=str(tmp_path),
        kernel_name="python3",
        progress_bar=False,
    )
    injected = [c for c in done.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and all(k in injected[0].source for k in parameters)
    return "".join(o.get("text", "") for c in done.cells if c.cell_type == "code" for o in c.outputs)


def _code_cells_with(name, *markers):
    """The source of each of notebook ``name``'s code cells that contains one of ``markers``, in order."""
    import jupytext

    cells = jupytext.read(os.path.join(NOTEBOOKS, "src", f"{name}.py")).cells
    return [c.source for c in cells if c.cell_type == "code" and any(m in c.source for m in markers)]


def test_the_wgan_step_of_04_is_ganlibs_step(digits):
    """04's two copyable cells (DCGAN's networks as a critic, PyTorch-style RMSprop, a step that clips the critic
    by hand and updates the generator every second call), executed here from ganlib's WGAN's initial weights,
    and ``ganlib.make_train_step`` with WGAN give the same losses and weights, step after step."""
    import keras
    import numpy as np
    import tensorflow as tf

    import ganlib

    setup, step_cell = _code_cells_with("04_wgan", "critic = ganlib.models.dcgan", "def train_step(")
    keras.utils.set_random_seed(0)
    ours = ganlib.models.WGAN(clusters=0)  # the cells are the unconditional WGAN
    cell = {"ganlib": ganlib, "keras": keras, "tf": tf, "SEED": 5}
    exec(setup, cell)
    exec(step_cell, cell)
    cell["generator"].set_weights(ours.generator.get_weights())
    cell["critic"].set_weights(ours.discriminator.get_weights())
    step, noise = ganlib.make_train_step(ours), tf.random.Generator.from_seed(5)
    for i in range(1, 5):
        real, update = ganlib.scale(digits[0][32 * i : 32 * (i + 1)]), i % 2 == 0
        d_loss = cell["train_step"](real, update)
        z_d = noise.normal((32, 64))  # what train_step drew, in its order
        z_g = noise.normal((32, 64)) if update else tf.zeros((32, 64))
        np.testing.assert_allclose(float(d_loss), float(step((real, z_d, z_g), update)["d_loss"]), rtol=1e-5)
        for mine, yours in zip(
            ours.generator.weights + ours.discriminator.weights,
            cell["generator"].weights + cell["critic"].weights,
        ):
            np.testing.assert_allclose(
                mine.numpy(), yours.numpy(), rtol=1e-4, atol=1e-6, err_msg=f"step {i}: {mine.path}"
            )
    assert np.abs(cell["critic"].trainable_variables[0].numpy()).max() <= 0.01 + 1e-7


def test_the_infogan_step_of_05_is_ganlibs_step(digits):
    """05's two copyable cells (the authors' networks, a step with the information term read from T(x)), executed
    here from ganlib's InfoGAN's initial weights, and ``ganlib.make_train_step`` with InfoGAN give the same losses
    and weights, step after step."""
    import keras
    import numpy as np
    import tensorflow as tf

    import ganlib

    setup, step_cell = _code_cells_with(
        "05_infogan", "discriminator = ganlib.models.infogan", "def train_step("
    )
    keras.utils.set_random_seed(0)
    ours = ganlib.models.InfoGAN()
    cell, twin = ({"ganlib": ganlib, "keras": keras, "tf": tf, "SEED": 5} for _ in range(2))
    for namespace in (cell, twin):  # the twin's draw() repeats the cell's random numbers, in their order
        exec(setup, namespace)
        exec(step_cell, namespace)
    cell["generator"].set_weights(ours.generator.get_weights())
    cell["discriminator"].set_weights(ours.discriminator.get_weights())
    step = ganlib.make_train_step(ours)
    for i in range(3):
        real = ganlib.scale(digits[0][32 * i : 32 * (i + 1)])
        d_loss, g_loss = cell["train_step"](real)
        (z_d, _, _, t_d), (z_g, _, _, t_g) = twin["draw"](32), twin["draw"](32)
        metrics = step((real, (z_d, t_d), (z_g, t_g)))
        np.testing.assert_allclose(
            [float(d_loss), float(g_loss)], [float(metrics["d_loss"]), float(metrics["g_loss"])], rtol=1e-5
        )
        for mine, yours in zip(
            ours.generator.weights + ours.discriminator.weights,
            cell["generator"].weights + cell["discriminator"].weights,
        ):
            np.testing.assert_allclose(
                mine.numpy(), yours.numpy(), rtol=1e-4, atol=1e-6, err_msg=f"step {i + 1}: {mine.path}"
            )


def _run_json(run_dir):
    with open(os.path.join(run_dir, "run.json")) as f:
        return json.load(f)


def _trained_with(run_dir, model, seed=0, **config):
    """The run in ``run_dir`` is ``model``'s, trained with ``seed`` and these hyperparameters, and kept its generator."""
    run = _run_json(run_dir)
    assert (run["model"], run["seed"]) == (model, seed), run
    assert {k: run["config"][k] for k in config} == config, run["config"]
    assert os.path.exists(os.path.join(run_dir, "generator.keras"))


def _theory(text, tmp):
    """00 with MU_G = 6: the printed JS divergence is N(0,1)'s to N(6,1) (the same numerical integration), and the
    ring's and the estimator's checks report their misses instead of raising."""
    import re

    import numpy as np
    from scipy.stats import norm

    grid = np.linspace(-12, 18, 300_001)
    pd, pg = norm.pdf(grid), norm.pdf(grid, 6.0)
    m = (pd + pg) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.nan_to_num(pd * np.log(pd / m)) + np.nan_to_num(pg * np.log(pg / m))
    jsd = 0.5 * np.trapezoid(terms, grid)
    assert float(re.search(r"JS\(p_data \|\| p_g\) = ([\d.]+)", text).group(1)) == pytest.approx(
        jsd, abs=1e-4
    )
    assert "not met with these settings" in text


# Every "Try this" that is a change of settings, run in smoke mode through the settings cell (papermill), so that an
# exercise that crashes fails CI: (notebook, the exercises, their settings together, a check that the run used them).
# One run a notebook; two for 05, whose rotation means nothing with augment=0. Exercises that change code (a
# subclass, an edited cell) are not settings changes.
EXERCISES = [
    ("00_gan_theory", "1 MU_G, 2 MI_SAMPLES, 4 SIGMA", dict(MU_G=6.0, MI_SAMPLES=1_000, SIGMA=0.1), _theory),
    (
        "01_vanilla_gan",
        "1 minimax at g_lr=1e-3, 2 half STEPS, 3 ema=0, 4 SEED=1, 5 R1 off",
        dict(
            STEPS=7500,
            SEED=1,
            HPARAMS={"ema": 0, "r1": 0},
            MINIMAX_HPARAMS={"g_lr": 1e-3, "r1": 0},
            RUN_DIR="v",
            MINIMAX_DIR="m",
        ),
        lambda text, tmp: (
            _trained_with(tmp / "v", "vanilla", 1, ema=0, r1=0.0)
            or _trained_with(tmp / "m", "vanilla-minimax", 1, g_lr=1e-3, r1=0.0)
        ),
    ),
    (
        "02_dcgan",
        "2 the paper's settings (and another seed and run directory)",
        dict(SEED=3, HPARAMS={"g_lr": 2e-4, "ema": 0, "d_hidden": 0}, RUN_DIR="elsewhere/dcgan-3"),
        lambda text, tmp: _trained_with(tmp / "elsewhere/dcgan-3", "dcgan", 3, g_lr=2e-4, ema=0, d_hidden=0),
    ),
    (
        "03_lsgan",
        "3 DCGAN's paper rates, 4 self-conditioning off",
        dict(HPARAMS={"g_lr": 2e-4, "ema": 0, "clusters": 0}, RUN_DIR="l"),
        lambda text, tmp: _trained_with(tmp / "l", "lsgan", g_lr=2e-4, ema=0, clusters=0),
    ),
    (
        "04_wgan",
        "1 clip 0.1, 2 self-conditioning off (both), 4 n_critic 5",
        dict(
            HPARAMS={"clip": 0.1, "clusters": 0, "ema": 0.0, "temperature": 1.0},
            GP_HPARAMS={"n_critic": 5, "clusters": 0, "ema": 0.0, "d_lr": 2e-4},
            RUN_DIR="w",
            GP_DIR="g",
        ),
        lambda text, tmp: (
            _trained_with(tmp / "w", "wgan", clip=0.1, clusters=0, ema=0.0, temperature=1.0)
            or _trained_with(tmp / "g", "wgan-gp", n_critic=5, clusters=0, ema=0.0, d_lr=2e-4)
        ),
    ),
    (
        "05_infogan",
        "1 the paper's form (augment=0, the authors' generator and weights, q_ema=0), 3 info_weight 5",
        dict(
            HPARAMS={"augment": 0, "g_hidden": 1024, "cont_weight": 1.0, "q_ema": 0, "info_weight": 5.0},
            RUN_DIR="i",
        ),
        lambda text, tmp: _trained_with(
            tmp / "i", "infogan", augment=0, g_hidden=1024, cont_weight=1.0, q_ema=0, info_weight=5.0
        ),
    ),
    (
        "05_infogan",
        "4 rotation 5, 5 cont_weight 1",
        dict(HPARAMS={"rotation": 5.0, "cont_weight": 1.0}, RUN_DIR="i"),
        lambda text, tmp: _trained_with(tmp / "i", "infogan", rotation=5.0, cont_weight=1.0),
    ),
    (
        "06_compare",
        "1 another seed's run added to MODELS, 2 fewer SAMPLES (100: smoke mode keeps 256 training digits)",
        dict(MODELS=["dcgan", "dcgan-seed1"], SAMPLES=100, RUN_ROOT="compare"),
        lambda text, tmp: "100 digits a row" in text and "dcgan-seed1" in text.split("digits a row")[1],
    ),
    ("07_vae", "1 LATENT_DIM 2", dict(LATENT_DIM=2), lambda text, tmp: "VAE, 2-D latent" in text),
    (
        "08_conditional",
        "2 AC-GAN's class_weight 10",
        dict(HPARAMS={"cgan": {}, "acgan": {"class_weight": 10.0}}, RUN_DIRS={"cgan": "c", "acgan": "a"}),
        lambda text, tmp: _trained_with(tmp / "a", "acgan", class_weight=10.0),
    ),
]


@pytest.mark.parametrize(
    "name, exercises, settings, used", EXERCISES, ids=[f"{e[0]}: {e[1]}" for e in EXERCISES]
)
def test_every_try_this_that_changes_settings_runs(
    name, exercises, settings, used, tmp_path, monkeypatch, mnist_path
):
    monkeypatch.setenv("GANLIB_MNIST", mnist_path)
    monkeypatch.setenv("GANLIB_SMOKE", "1")
    settings = {  # run directories in tmp_path (the kernel starts in the suite's temporary directory)
        k: (
            str(tmp_path / v)
            if k.endswith(("_DIR", "_ROOT"))
            else {m: str(tmp_path / d) for m, d in v.items()}
        )
        if k.endswith(("_DIR", "_ROOT", "_DIRS"))
        else v
        for k, v in settings.items()
    }
    if name == "06_compare":  # exercise 1's first half: `python -m ganlib train dcgan --seed 1 --out ...`
        out = str(tmp_path / "compare" / "dcgan-seed1")
        subprocess.run(
            [sys.executable, "-m", "ganlib", "train", "dcgan", "--seed", "1", "--out", out], check=True
        )
    text = _papermill(name, tmp_path, monkeypatch, **settings)
    assert used(text, tmp_path) is not False


def test_each_training_notebook_starts_tensorboard_in_a_cell_that_ci_skips():
    """01-05 and 08 show TensorBoard before training (``%tensorboard --logdir`` on the folder of their runs); nbval
    skips the cell (its server would outlive the run), and papermill's test leaves it out the same way."""
    for name in ("01_vanilla_gan", "02_dcgan", "03_lsgan", "04_wgan", "05_infogan", "08_conditional"):
        cells = _read(name).cells
        board = [
            i for i, c in enumerate(cells) if c.cell_type == "code" and "%tensorboard --logdir" in c.source
        ]
        training = [i for i, c in enumerate(cells) if c.cell_type == "code" and "ganlib.fit(" in c.source]
        assert len(board) == 1 and board[0] < training[0], name
        assert "%load_ext tensorboard" in cells[board[0]].source, name
        assert "nbval-skip" in cells[board[0]].metadata.get("tags", []), name
