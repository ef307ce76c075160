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
