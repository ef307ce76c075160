"""What pip installs: the floors of pyproject.toml are the versions CI's Colab pass runs on."""

import os
import re
import tomllib

from packaging.requirements import Requirement
from packaging.version import Version

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _pins(path):
    with open(os.path.join(ROOT, path)) as f:
        return dict(re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", f.read(), re.M))


def test_every_floor_is_a_version_ci_runs_on():
    """Each dependency's floor is exactly Colab's version (.ci/colab-constraints.txt, the oldest CI installs), and
    requirements.txt pins one at or above it; Python's floor is the older of CI's two Pythons."""
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
        project = tomllib.load(f)["project"]
    colab = {k.lower().replace("_", "-"): v for k, v in _pins(".ci/colab-constraints.txt").items()}
    newest = {k.lower(): v for k, v in _pins("requirements.txt").items()}
    for line in project["dependencies"]:
        req = Requirement(line)
        (floor,) = [Version(s.version) for s in req.specifier if s.operator == ">="]
        assert floor == Version(colab[req.name]), (req.name, floor, colab[req.name])
        assert Version(newest[req.name]) >= floor, (req.name, newest[req.name])
    assert project["requires-python"] == ">=3.11"  # requirements.txt's Python; Colab's is 3.13
