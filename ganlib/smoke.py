"""Smoke mode: ``GANLIB_SMOKE=1`` shrinks every run to a few steps on a small slice.

CI sets it so that every notebook executes in seconds. Normal runs never see it.
"""

import os

from ganlib.errors import GanlibError

IMAGES = 256  # digits kept from each split
STEPS = 8  # training steps at most


ON, OFF = ("1", "true", "yes"), ("", "0", "false", "no")


def enabled():
    """Whether ``GANLIB_SMOKE`` asks for smoke mode: 1/true/yes on, 0/false/no or unset off (any case)."""
    value = os.environ.get("GANLIB_SMOKE", "").strip().lower()
    if value not in ON + OFF:
        raise GanlibError(
            f"GANLIB_SMOKE={os.environ['GANLIB_SMOKE']!r} is neither on (1, true, yes) nor off (0, false, no, empty)."
        )
    return value in ON


def slice_images(x, y):
    """Every k-th example, so that a class-sorted file keeps all its classes."""
    if not enabled() or len(x) <= IMAGES:
        return x, y
    k = len(x) // IMAGES
    return x[::k][:IMAGES], y[::k][:IMAGES]


def cap_steps(steps):
    return min(steps, STEPS) if enabled() else steps
