"""The committed notebooks are built from notebooks/src (nbval executes them in smoke mode)."""
import os
import subprocess
import sys

import nbformat

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_every_notebook_matches_its_source():
    result = subprocess.run([sys.executable, "tools/notebooks.py", "check"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr + "\nrebuild with: python tools/notebooks.py run NAME"


def test_committed_notebooks_carry_outputs_of_a_real_run():
    for name in os.listdir(os.path.join(ROOT, "notebooks")):
        if name.endswith(".ipynb"):
            nb = nbformat.read(os.path.join(ROOT, "notebooks", name), as_version=4)
            outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
            assert any("image/png" in o.get("data", {}) for o in outputs), f"{name} has no figure outputs"
            assert not [o for o in outputs if o.output_type == "error"], f"{name} has error outputs"


def test_notebook_kernels_of_the_suite_run_outside_the_repository():
    """nbval starts a kernel in notebooks/ (cwd = the notebook's folder); the suite's kernels must work
    elsewhere, so a smoke run's `runs/<model>` never replaces a user's notebooks/runs/<model>."""
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3", cwd=os.path.join(ROOT, "notebooks"))
    try:
        out = []
        kc.execute_interactive("import os; print(os.getcwd())", timeout=60,
                               output_hook=lambda m: out.append(m["content"].get("text", "")))
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
    for name in sorted(os.listdir(os.path.join(ROOT, "notebooks"))):
        if not name.endswith(".ipynb"):
            continue
        nb = nbformat.read(os.path.join(ROOT, "notebooks", name), as_version=4)
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
        counts = {int(n) for n in re.findall(r"(\d+) steps in \d+ s", text)}
        settings = {int(n) for n in re.findall(r"^\w*STEPS = (\d+)", code, re.M)}  # STEPS, GP_STEPS, ...
        if counts:
            assert counts == settings, (name, counts, settings)
            checked += 1
        assert all(int(n) == full for n in re.findall(r"(\d+) training digits", text)), name
    assert checked >= 6  # 01-05, 08


def test_each_model_notebook_checked_what_its_committed_run_learned():
    """Each model notebook checks its run against stated bounds (``evaluate.check``), and its committed outputs
    show the check passing out of smoke mode: a run that learned nothing, or a smoke run, cannot be committed."""
    notebooks = ["01_vanilla_gan", "02_dcgan", "03_lsgan", "04_wgan", "05_infogan", "07_vae", "08_conditional"]
    for name in notebooks:
        nb = nbformat.read(os.path.join(ROOT, "notebooks", f"{name}.ipynb"), as_version=4)
        cells = [c for c in nb.cells if c.cell_type == "code" and "evaluate.check(" in c.source]
        assert cells, f"{name} checks nothing it learned"
        text = "".join(o.get("text", "") for c in cells for o in c.outputs)
        assert "checked: " in text and "smoke mode" not in text, (name, text)
