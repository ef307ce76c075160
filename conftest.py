"""Test-suite settings that notebook kernels (started by nbval) inherit too."""

import os
import tempfile

import pytest

# Every notebook and CLI run in the suite is a smoke run; export GANLIB_SMOKE=0 to run them in full.
os.environ.setdefault("GANLIB_SMOKE", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# TensorFlow's oneDNN custom operations (on by default on x86) are not bit-reproducible here: a WGAN run
# repeated in one process differed in its last bits in 1 of 8 to 1 of 16 repeats (and a CLI resume once in
# CI); with them off, in 0 of 23 (benchmarks/repeatability.py). The bit-for-bit tests need them off (README,
# "Reproducibility and faults").
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

# nbval starts each notebook's kernel in notebooks/, where a notebook writes (and first deletes) its
# runs/<model>. An IPython start-up file moves every kernel of the suite to a temporary directory first,
# so the suite never touches a user's notebooks/runs (tests/test_notebooks.py checks it).
_root = tempfile.mkdtemp(prefix="ganlib-suite-")
_startup = os.path.join(_root, "ipython", "profile_default", "startup")
os.makedirs(_startup)
os.makedirs(os.path.join(_root, "notebooks"))
with open(os.path.join(_startup, "00-cwd.py"), "w") as f:
    f.write(f"import os\nos.chdir({os.path.join(_root, 'notebooks')!r})\n")
os.environ["IPYTHONDIR"] = os.path.join(_root, "ipython")


# CI's two workers: each test module and each notebook (whose cells share one kernel, in order) runs whole on one
# worker, as --dist=loadscope would; tests/test_notebooks.py's tests, which share nothing and include ten papermill
# runs of the exercises, are handed out one by one (pyproject.toml: --dist=loadgroup), so no worker is left with
# that whole module at the end.
_SPREAD = "tests/test_notebooks.py"


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the groups
def pytest_collection_modifyitems(config, items):
    for item in items:
        module = item.nodeid.split("::")[0]
        if module != _SPREAD:
            item.add_marker(pytest.mark.xdist_group(module))
