"""Build the notebooks from their sources, and run them for the outputs we commit.

    python tools/notebooks.py build [NAME ...]   notebooks/src/NAME.py -> notebooks/NAME.ipynb (outputs kept
                                                 if no code cell changed, else none)
    python tools/notebooks.py run [NAME ...]     build, then execute with the default settings, saving outputs
    python tools/notebooks.py check              exit 1 if any .ipynb differs from its source

A source is a Python file in "percent" format: cells start with ``# %%`` (code) or
``# %% [markdown]`` (markdown, each line commented with ``# ``). Every notebook gets two
cells in front: a Colab badge and a cell that installs ganlib when it runs on Colab, both
made from the repository URL in pyproject.toml, the one place it is kept.
"""
import os
import re
import subprocess
import sys

import nbformat

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "notebooks", "src")
OUT = os.path.join(ROOT, "notebooks")


def repository_url():
    text = open(os.path.join(ROOT, "pyproject.toml")).read()
    return re.search(r'^Repository\s*=\s*"([^"]+)"', text, re.M).group(1).rstrip("/")


def header_cells(name):
    url = repository_url()
    colab = url.replace("https://github.com/", "https://colab.research.google.com/github/")
    badge = f"[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]({colab}/blob/main/notebooks/{name}.ipynb)"
    setup = (
        "# On Colab, install ganlib (and its pinned dependencies) first; elsewhere this does nothing.\n"
        "import sys\n\n"
        'if "google.colab" in sys.modules:\n'
        f'    !pip install -q "ganlib @ git+{url}"'
    )
    return [nbformat.v4.new_markdown_cell(badge), nbformat.v4.new_code_cell(setup)]


def parse(path):
    """The cells of a percent-format source."""
    cells, kind, lines = [], None, []

    def flush():
        text = "\n".join(lines).strip("\n")
        if kind == "markdown":
            text = "\n".join(re.sub(r"^# ?", "", line) for line in text.splitlines())
            cells.append(nbformat.v4.new_markdown_cell(text))
        elif kind == "code" and text:
            cells.append(nbformat.v4.new_code_cell(text))

    for line in open(path).read().splitlines():
        if line.startswith("# %%"):
            flush()
            kind, lines = ("markdown" if "[markdown]" in line else "code"), []
        elif kind:
            lines.append(line)
    flush()
    return cells


def names(args):
    found = sorted(f[:-3] for f in os.listdir(SRC) if f.endswith(".py"))
    unknown = set(args) - set(found)
    if unknown:
        sys.exit(f"no source for {sorted(unknown)} in {SRC}")
    return args or found


def expected(name):
    nb = nbformat.v4.new_notebook()
    nb.cells = header_cells(name) + parse(os.path.join(SRC, f"{name}.py"))
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i:03d}"  # stable ids: rebuilding does not churn the diff
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    return nb


def build(name):
    """Write the notebook from its source. If its code cells are unchanged (only markdown was
    edited), the outputs of the last run are kept: they are still those of this exact code."""
    path = os.path.join(OUT, f"{name}.ipynb")
    nb = expected(name)
    if os.path.exists(path):
        old = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
        new = [c for c in nb.cells if c.cell_type == "code"]
        if [c.source for c in old] == [c.source for c in new]:
            for a, b in zip(old, new):
                b.outputs, b.execution_count = a.outputs, a.execution_count
    nbformat.write(nb, path)
    return path


def clear(name):
    """The notebook built afresh, without outputs (before a run)."""
    path = os.path.join(OUT, f"{name}.ipynb")
    nbformat.write(expected(name), path)
    return path


def run(name):
    env = {k: v for k, v in os.environ.items() if k != "GANLIB_SMOKE"}  # the real defaults
    path = clear(name)
    subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute", "--inplace",
         "--ExecutePreprocessor.timeout=3600", path],
        check=True, env=env, cwd=OUT,
    )


def stale():
    """Names of notebooks whose cells differ from their sources (outputs aside)."""
    out = []
    for name in names([]):
        path = os.path.join(OUT, f"{name}.ipynb")
        if not os.path.exists(path):
            out.append(name)
            continue
        have = [(c.cell_type, c.source) for c in nbformat.read(path, as_version=4).cells]
        if have != [(c.cell_type, c.source) for c in expected(name).cells]:
            out.append(name)
    return out


if __name__ == "__main__":
    command, args = (sys.argv[1] if len(sys.argv) > 1 else ""), sys.argv[2:]
    if command == "build":
        for n in names(args):
            print(build(n))
    elif command == "run":
        for n in names(args):
            run(n)
    elif command == "check":
        bad = stale()
        print("stale: " + ", ".join(bad) if bad else "all notebooks match their sources")
        sys.exit(1 if bad else 0)
    else:
        sys.exit(__doc__)
