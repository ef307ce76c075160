"""Smoke mode: ``GANLIB_SMOKE=1`` shrinks every run to a few steps on a small slice.

CI sets it so that every notebook executes in seconds. Normal runs never see it.
"""
import os

IMAGES = 256  # digits kept from each split
STEPS = 8  # training steps at most


def enabled():
    return os.environ.get("GANLIB_SMOKE", "") not in ("", "0")


def slice_images(x, y):
    """Every k-th example, so that a class-sorted file keeps all its classes."""
    if not enabled() or len(x) <= IMAGES:
        return x, y
    k = len(x) // IMAGES
    return x[::k][:IMAGES], y[::k][:IMAGES]


def cap_steps(steps):
    return min(steps, STEPS) if enabled() else steps
