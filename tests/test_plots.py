import imageio.v2 as imageio
import numpy as np
import pytest

from ganlib import plots


def test_to_uint8_maps_the_tanh_range_to_pixels():
    got = plots.to_uint8(np.array([[[[-1.0], [0.0], [1.0], [3.0]]]]))
    assert got.dtype == np.uint8 and got.shape == (1, 1, 4)
    assert got.tolist() == [[[0, 128, 255, 255]]]


def test_grid_places_each_image():
    images = np.stack([np.full((28, 28), v) for v in (-1.0, 1.0, 1.0)])
    out = plots.grid(images, cols=2, pad=2)
    assert out.shape == (2 * 30 + 2, 2 * 30 + 2)
    assert out[2:30, 2:30].max() == 0 and out[2:30, 32:60].min() == 255 and out[32:60, 2:30].min() == 255
    assert out[32:60, 32:60].max() == 0  # the empty cell


def test_gif_has_one_frame_per_grid(tmp_path):
    paths = []
    for i in range(3):
        paths.append(str(tmp_path / f"{i}.png"))
        plots.save_grid(np.full((4, 28, 28), i / 2 - 0.5), paths[-1], cols=2)
    plots.save_gif(paths, str(tmp_path / "a.gif"))
    frames = imageio.mimread(str(tmp_path / "a.gif"))
    assert len(frames) == 3
    assert frames[0].max() < frames[2].max()  # in order
    plots.save_gif(paths * 10, str(tmp_path / "b.gif"), max_frames=7)
    assert len(imageio.mimread(str(tmp_path / "b.gif"))) == 7  # evenly spaced, capped


def test_history_plot_skips_missing_values():
    history = {
        "step": np.arange(1.0, 7.0),
        "d_loss": np.ones(6),
        "g_loss": np.array([np.nan, 1, np.nan, 2, np.nan, 3]),
    }
    ax = plots.plot_history(history, smooth=2).axes[0]
    assert sorted(line.get_label() for line in ax.get_lines() if not line.get_label().startswith("_")) == [
        "d_loss",
        "g_loss",
    ]


def test_history_plot_labels_its_reference_lines():
    history = {"step": np.arange(1.0, 7.0), "d_loss": np.ones(6)}
    ax = plots.plot_history(
        history, smooth=2, references={"log 2": np.log(2), "2 log 2": 2 * np.log(2)}
    ).axes[0]
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert np.allclose(lines["log 2"].get_ydata(), np.log(2)) and np.allclose(
        lines["2 log 2"].get_ydata(), 2 * np.log(2)
    )
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["d_loss", "log 2", "2 log 2"]


def test_progress_figure_has_the_same_panels_for_short_and_long_runs(tmp_path):
    """nbval compares a figure's text ('<Figure size ... with 4 Axes>') between smoke and full runs."""
    import os

    os.makedirs(tmp_path / "grids")
    texts = []
    for epochs in (2, 39):
        for e in range(1, epochs + 1):
            plots.save_grid(np.zeros((4, 28, 28)), str(tmp_path / "grids" / f"epoch_{e:04d}.png"), cols=2)
        fig = plots.show_progress(str(tmp_path))
        texts.append((repr(fig), [ax.get_title() for ax in fig.axes]))
    assert texts[0][0] == texts[1][0] and len(texts[1][1]) == 4
    assert texts[0][1] == ["epoch 1", "epoch 2", "", ""]
    assert texts[1][1] == ["epoch 1", "epoch 14", "epoch 26", "epoch 39"]


def test_a_grid_is_written_whole_or_not_at_all(tmp_path, monkeypatch):
    """What a process killed mid-write leaves: a part file, never a cut-short PNG under the grid's own name."""
    path = str(tmp_path / "epoch_0001.png")
    plots.save_grid(np.zeros((4, 28, 28)), path, cols=2)
    before = open(path, "rb").read()

    def killed_mid_write(target, image, **kw):
        with open(target, "wb") as f:
            f.write(b"\x89PNG cut short")
        raise KeyboardInterrupt

    monkeypatch.setattr(plots.imageio, "imwrite", killed_mid_write)
    with pytest.raises(KeyboardInterrupt):
        plots.save_grid(np.ones((4, 28, 28)), path, cols=2)
    assert open(path, "rb").read() == before  # the previous grid, whole
