"""Pictures: sample grids, loss curves and the training GIF."""

import glob
import os

import imageio.v2 as imageio
import matplotlib.pyplot as plt
import numpy as np


def to_uint8(images):
    """Generator output in [-1, 1] -> uint8 pixels in [0, 255], channel axis dropped."""
    images = np.asarray(images, np.float32)
    if images.ndim == 4:
        images = images[..., 0]
    return np.round((np.clip(images, -1.0, 1.0) + 1.0) * 127.5).astype(np.uint8)


def grid(images, cols=10, pad=2):
    """Tile ``(n, 28, 28[, 1])`` images in [-1, 1] into one uint8 picture, ``cols`` per row."""
    images = to_uint8(images)
    n, h, w = images.shape
    rows = -(-n // cols)
    out = np.zeros((rows * (h + pad) + pad, cols * (w + pad) + pad), np.uint8)
    for i, img in enumerate(images):
        r, c = divmod(i, cols)
        out[pad + r * (h + pad) : pad + r * (h + pad) + h, pad + c * (w + pad) : pad + c * (w + pad) + w] = (
            img
        )
    return out


def save_grid(images, path, cols=10):
    """Write the grid as a PNG, atomically: a process killed meanwhile leaves no half-written file.
    Light compression: a third of the default's time, for files of a few tens of kB."""
    imageio.imwrite(path + ".part", grid(images, cols), format="png", compress_level=1)
    os.replace(path + ".part", path)


def show_grid(images, cols=10, title=None, size=6):
    fig, ax = plt.subplots(figsize=(size, size * (-(-len(images) // cols)) / cols))
    ax.imshow(grid(images, cols), cmap="gray", vmin=0, vmax=255, interpolation="nearest")
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return fig


def show_images(paths, titles=None, size=3):
    """Show PNGs written by a run (sample grids) side by side."""
    fig, axes = plt.subplots(1, len(paths), figsize=(size * len(paths), size), squeeze=False)
    for i, (ax, path) in enumerate(zip(axes[0], paths)):
        ax.imshow(imageio.imread(path), cmap="gray", vmin=0, vmax=255, interpolation="nearest")
        ax.set_axis_off()
        if titles:
            ax.set_title(titles[i])
    return fig


def show_progress(run_dir, n=4, size=3):
    """A run's fixed-latent grids after the first epoch, evenly through training, and the last."""
    grids = sorted(glob.glob(os.path.join(run_dir, "grids", "epoch_*.png")))
    if not grids:
        raise FileNotFoundError(f"no sample grids in {run_dir}/grids: has the run trained an epoch?")
    shown = sorted({round(i * (len(grids) - 1) / (n - 1)) for i in range(n)})
    fig, axes = plt.subplots(1, n, figsize=(size * n, size))  # always n panels: short runs leave some blank
    for ax in axes:
        ax.set_axis_off()
    for ax, i in zip(axes, shown):
        ax.imshow(imageio.imread(grids[i]), cmap="gray", vmin=0, vmax=255, interpolation="nearest")
        ax.set_title(f"epoch {os.path.basename(grids[i])[6:10].lstrip('0')}")
    return fig


def plot_history(history, smooth=25, references=None):
    """Loss curves from a run's history: every column except step and epoch, one line each.

    Thin lines are the per-step values, thick lines their running mean over ``smooth`` steps.
    ``references``: ``{label: value}`` drawn as labelled dotted horizontal lines (what a loss is at a known point).
    """
    fig, ax = plt.subplots(figsize=(8, 4))
    for key, values in history.items():
        if key in ("step", "epoch"):
            continue
        ok = np.isfinite(values)
        steps, values = history["step"][ok], values[ok]
        (line,) = ax.plot(steps, values, alpha=0.25, lw=0.8)
        k = min(smooth, len(values))
        if k > 1:
            mean = np.convolve(values, np.ones(k) / k, mode="valid")
            ax.plot(steps[k - 1 :], mean, color=line.get_color(), lw=2, label=key)
        else:
            line.set_label(key)
    for i, (label, value) in enumerate((references or {}).items()):
        ax.axhline(value, color="0.3", ls=(0, (1, 1 + 2 * i)), lw=1.2, label=label)
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    ax.legend()
    ax.grid(alpha=0.3)
    return fig


def save_gif(frame_paths, path, max_frames=20, seconds_per_frame=0.25):
    """An animated GIF of the grids: at most ``max_frames`` of them, evenly spaced (the first and
    the last always in), in 16 grey levels, which keeps it a few hundred KB."""
    n = len(frame_paths)
    keep = (
        sorted({round(i * (n - 1) / (max_frames - 1)) for i in range(max_frames)})
        if n > max_frames
        else range(n)
    )
    frames = [(imageio.imread(frame_paths[i]) // 16) * 17 for i in keep]
    imageio.mimsave(path, frames, duration=seconds_per_frame * 1000, loop=0)
