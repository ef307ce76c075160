import urllib.error

import imageio.v3 as imageio
import keras
import numpy as np
import pytest
import tensorflow as tf

from ganlib import GanlibError, data, smoke


@pytest.fixture
def full(monkeypatch):
    monkeypatch.setenv("GANLIB_SMOKE", "0")


def save(path, **arrays):
    np.savez(path, **arrays)
    return str(path)


def good_arrays(n=20):
    rng = np.random.default_rng(0)
    return dict(
        x_train=rng.integers(0, 256, (n, 28, 28), dtype=np.uint8),
        y_train=(np.arange(n) % 10).astype(np.uint8),
        x_test=rng.integers(0, 256, (n // 2, 28, 28), dtype=np.uint8),
        y_test=(np.arange(n // 2) % 10).astype(np.uint8),
    )


def test_loads_the_shared_file(full, mnist_path):
    (x, y), (xt, yt) = data.load_mnist(mnist_path)
    assert x.shape[1:] == (28, 28) and x.dtype == np.uint8 and len(y) == len(x)
    assert xt.shape == (10000, 28, 28) and yt.dtype == np.uint8
    assert set(np.unique(y)) == set(range(10))


def test_environment_variable_and_explicit_path(full, monkeypatch, tmp_path):
    env_file = save(tmp_path / "env.npz", **good_arrays(20))
    arg_file = save(tmp_path / "arg.npz", **good_arrays(40))
    monkeypatch.setenv("GANLIB_MNIST", env_file)
    assert len(data.load_mnist()[0][0]) == 20
    assert len(data.load_mnist(arg_file)[0][0]) == 40  # an explicit path wins


def test_smoke_mode_keeps_every_class(monkeypatch, mnist_path):
    monkeypatch.setenv("GANLIB_SMOKE", "1")
    (x, y), (xt, _) = data.load_mnist(mnist_path)
    assert len(x) == len(xt) == 256
    assert set(np.unique(y)) == set(range(10))  # the training file is sorted by class


def test_missing_file_names_the_variable(tmp_path):
    with pytest.raises(GanlibError, match="not found.*GANLIB_MNIST"):
        data.load_mnist(str(tmp_path / "nope.npz"))


def test_offline_download_failure_says_how_to_point_at_a_file(monkeypatch):
    monkeypatch.delenv("GANLIB_MNIST", raising=False)

    def offline():
        raise urllib.error.URLError("Temporary failure in name resolution")

    monkeypatch.setattr(keras.datasets.mnist, "load_data", offline)
    with pytest.raises(GanlibError, match="could not download mnist.*Pass --data"):
        data.load_mnist()
    monkeypatch.setattr(keras.datasets.fashion_mnist, "load_data", offline)
    with pytest.raises(
        GanlibError, match="could not download fashion_mnist.*one subfolder of images per class"
    ):
        data.load_images("fashion_mnist")


def test_a_keras_dataset_by_name(monkeypatch):
    """``fashion_mnist`` (or ``mnist``) is read through Keras' downloader, the environment variable aside."""
    arrays = good_arrays(14)
    splits = (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])
    monkeypatch.setattr(keras.datasets.fashion_mnist, "load_data", lambda: splits)
    monkeypatch.setenv("GANLIB_MNIST", "/nowhere.npz")
    (x, y), (xt, yt) = data.load_images("fashion_mnist")
    assert x is arrays["x_train"] and yt is arrays["y_test"]


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda a: a.pop("y_test"), r"lacks the keys \['y_test'\]"),
        (lambda a: a.update(x_train=a["x_train"].reshape(20, 784)), r"x_train is uint8 of shape \(20, 784\)"),
        (lambda a: a.update(x_test=a["x_test"].astype(np.float32)), r"x_test is float32"),
        (lambda a: a.update(y_train=a["y_train"][:5]), r"y_train is uint8 of shape \(5,\)"),
        (lambda a: a.update(y_train=a["y_train"] + 10), r"labels 0-9"),
    ],
)
def test_bad_files_say_what_is_wrong(tmp_path, change, message):
    arrays = good_arrays()
    change(arrays)
    with pytest.raises(GanlibError, match=message):
        data.load_mnist(save(tmp_path / "bad.npz", **arrays))


def test_corrupt_file(tmp_path):
    path = tmp_path / "corrupt.npz"
    path.write_bytes(b"PK\x03\x04 this is not a zip archive")
    with pytest.raises(GanlibError, match="cannot read"):
        data.load_mnist(str(path))


def test_scale_maps_pixels_to_tanh_range():
    got = data.scale(np.array([[[0, 255], [127, 128]]], np.uint8)).numpy()
    assert got.shape == (1, 2, 2, 1) and got.dtype == np.float32
    np.testing.assert_allclose(got[0, :, :, 0], [[-1.0, 1.0], [-0.5 / 127.5, 0.5 / 127.5]], atol=1e-7)


def sample_latent(n, seed):
    return tf.random.stateless_normal((n, 3), seed)


def batches(images, epoch, skip=0):
    return [tuple(t.numpy() for t in b) for b in data.make_dataset(images, 8, sample_latent, 0, epoch, skip)]


def test_dataset_batches_are_full_scaled_and_reproducible(digits):
    keras.utils.set_random_seed(1)
    images = digits[0][:60]
    first = batches(images, epoch=0)
    assert len(first) == 7  # 60 // 8, the partial batch dropped
    real, z_d, z_g = first[0]
    assert real.shape == (8, 28, 28, 1) and z_d.shape == z_g.shape == (8, 3)
    assert real.min() >= -1.0 and real.max() <= 1.0 and real.min() < 0 < real.max()
    assert not np.allclose(z_d, z_g)
    keras.utils.set_random_seed(2)  # TensorFlow's global seed must play no part
    again = batches(images, epoch=0)
    for a, b in zip(first, again):
        for x, y in zip(a, b):
            np.testing.assert_array_equal(x, y)
    other = batches(images, epoch=1)
    assert not np.allclose(first[0][0], other[0][0])  # a new epoch, a new order
    skipped = batches(images, epoch=0, skip=3)
    assert len(skipped) == 4
    np.testing.assert_array_equal(skipped[0][0], first[3][0])
    np.testing.assert_array_equal(skipped[0][1], first[3][1])


def test_the_seed_drives_the_data_order_the_noise_and_wgan_gps_alpha(digits):
    """The run's seed, and nothing else, picks the order of the digits, both latents and WGAN-GP's penalty weights."""
    from ganlib.models import WGANGP

    gan = WGANGP(latent_dim=8, width=4)

    def first_batch(seed):
        (real, (z_d, alpha), (z_g, _)), *_ = [
            tuple(b) for b in data.make_dataset(digits[0][:64], 8, gan.sample_d, seed, 0)
        ]
        return {"order": real.numpy(), "z_d": z_d.numpy(), "alpha": alpha.numpy(), "z_g": z_g.numpy()}

    a, again, b = first_batch(0), first_batch(0), first_batch(1)
    for key in a:
        np.testing.assert_array_equal(a[key], again[key], err_msg=key)
        assert not np.allclose(a[key], b[key]), f"{key} does not follow the seed"


def test_the_seed_drives_the_initial_weights():
    """``train --seed`` builds the model's initial weights from the seed (cli.build)."""
    from ganlib import cli

    def initial(seed):
        gan, _ = cli.build(cli.parse(["train", "dcgan", "--seed", str(seed), "--set", "width=4"]))
        return gan.generator.get_weights()[0]

    np.testing.assert_array_equal(initial(3), initial(3))
    assert not np.allclose(initial(3), initial(4))


@pytest.mark.parametrize(
    "value, on",
    [("1", True), ("true", True), ("YES", True), ("0", False), ("false", False), ("no", False), ("", False)],
)
def test_smoke_switch_reads_yes_and_no(monkeypatch, value, on):
    monkeypatch.setenv("GANLIB_SMOKE", value)
    assert smoke.enabled() is on


def test_smoke_switch_rejects_anything_else(monkeypatch):
    monkeypatch.setenv("GANLIB_SMOKE", "maybe")
    with pytest.raises(GanlibError, match="GANLIB_SMOKE='maybe' is neither on"):
        smoke.enabled()


def write_folder(root, x, y, names=None, size=None):
    """Images ``x`` as PNG files in one subfolder per label (``names[label]``, else the digit)."""
    for i, (image, label) in enumerate(zip(x, y)):
        folder = root / (names[label] if names else str(label))
        folder.mkdir(parents=True, exist_ok=True)
        if size:
            image = np.kron(image, np.ones((size // 28, size // 28), np.uint8))
        imageio.imwrite(folder / f"{i:05d}.png", image)  # sorted names keep the order
    return str(root)


def test_a_folder_of_class_subfolders_holds_out_one_in_seven_of_each_class(full, digits, tmp_path):
    x, y = digits
    folder = write_folder(tmp_path / "digits", x, y)
    (xa, ya), (xt, yt) = data.load_images(folder)
    assert xa.dtype == xt.dtype == ya.dtype == np.uint8 and xa.shape[1:] == xt.shape[1:] == (28, 28)
    assert len(xa) + len(xt) == len(x)
    for label in range(10):  # each class split 6:1 (rounded up to the test side), every image once
        n = int((y == label).sum())
        assert int((yt == label).sum()) == -(-n // 7) and int((ya == label).sum()) == n - -(-n // 7)
    # the pixels are the images written (a 28x28 grey PNG is read as it is), each with its own label
    written = {img.tobytes(): int(lab) for img, lab in zip(x, y)}
    assert all(
        written[img.tobytes()] == lab for img, lab in zip(np.concatenate([xa, xt]), np.concatenate([ya, yt]))
    )
    # the split is fixed: the same folder gives the same test images
    assert np.array_equal(data.load_images(folder)[1][0], xt)


def test_a_folder_with_train_and_test_subfolders_and_named_classes(full, digits, tmp_path):
    """Class folders are labels in sorted-name order; larger images are resized to 28x28."""
    x, y = digits
    x, y = x[y < 3], y[y < 3]
    names = ["a-zero", "b-one", "c-two"]
    write_folder(tmp_path / "own" / "train", x[::2], y[::2], names, size=56)
    write_folder(tmp_path / "own" / "test", x[1::2], y[1::2], names)
    (xa, ya), (xt, yt) = data.load_images(str(tmp_path / "own"))
    assert xa.shape == (len(x[::2]), 28, 28) and len(xt) == len(x[1::2])
    assert np.array_equal(ya, y[::2]) and np.array_equal(yt, y[1::2])  # y is sorted: one folder after another
    assert np.array_equal(xt, x[1::2])
    # a 56x56 copy averaged back to 28x28 is the digit it was made from
    assert np.abs(xa.astype(int) - x[::2]).max() <= 1


def test_bad_folders_say_what_is_wrong(full, digits, tmp_path):
    x, y = digits
    (tmp_path / "empty" / "0").mkdir(parents=True)
    (tmp_path / "empty" / "1").mkdir()
    with pytest.raises(GanlibError, match="No images found.*one subfolder of images per class"):
        data.load_images(str(tmp_path / "empty"))
    one = write_folder(tmp_path / "one", x[:5], np.zeros(5, int))
    with pytest.raises(GanlibError, match=r"has 1 class subfolder\(s\) \['0'\]; expected a folder"):
        data.load_images(one)
    broken = write_folder(tmp_path / "broken", x[:6], np.arange(6) % 2)
    (tmp_path / "broken" / "1" / "bad.png").write_bytes(b"\x89PNG\r\n\x1a\n not an image at all")
    with pytest.raises(GanlibError, match=r"broken/1/bad.png' cannot be read as an image \(Invalid PNG"):
        data.load_images(broken)
    write_folder(tmp_path / "mismatch" / "train", x[:6], np.arange(6) % 2)
    write_folder(tmp_path / "mismatch" / "test", x[:6], np.arange(6) % 3)
    with pytest.raises(
        GanlibError, match=r"train/ has the classes \['0', '1'\], test/ has \['0', '1', '2'\]"
    ):
        data.load_images(str(tmp_path / "mismatch"))
