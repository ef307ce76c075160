"""cGAN and AC-GAN: labels reach the step, the conditional losses, sampling a chosen digit."""

import math
import os

import keras
import numpy as np
import pytest
import tensorflow as tf
from helpers import batch, error_of, painter, reader

from ganlib import GanlibError, fit, losses, make_dataset
from ganlib.cli import main
from ganlib.models import ACGAN, CGAN, DCGAN


@pytest.fixture(autouse=True)
def full_budget(monkeypatch):
    monkeypatch.setenv("GANLIB_SMOKE", "0")


def small(model, seed=0):
    keras.utils.set_random_seed(seed)
    return model(noise_dim=8, width=4) if model.conditional else model(latent_dim=8, width=4)


def test_each_real_digit_comes_with_its_own_label(digits):
    x, y = digits
    label_of = {image.tobytes(): label for image, label in zip(x, y)}
    gan = small(CGAN)
    for (images, labels), _, _ in make_dataset(x, 32, gan.sample_latent, 0, 0, labels=y):
        uint8 = np.rint(images.numpy()[..., 0] * 127.5 + 127.5).astype(np.uint8)
        assert [label_of[image.tobytes()] for image in uint8] == list(labels.numpy())


def test_labels_change_nothing_for_an_unconditional_model(digits, tmp_path):
    plain = fit(small(DCGAN), digits[0], str(tmp_path / "a"), steps=3, batch_size=32, verbose=0)
    given = fit(
        small(DCGAN), digits[0], str(tmp_path / "b"), steps=3, batch_size=32, verbose=0, labels=digits[1]
    )
    for key in plain:
        np.testing.assert_array_equal(plain[key], given[key])


def test_a_conditional_model_needs_the_labels(digits, tmp_path):
    with pytest.raises(GanlibError, match="cgan is conditional: give fit the labels"):
        fit(small(CGAN), digits[0], str(tmp_path), steps=2, batch_size=32, verbose=0)


def test_both_cgan_networks_read_the_label():
    gan = small(CGAN)
    z = gan.sample_latent(4, tf.constant([0, 0], tf.int64))
    as_1, as_2 = gan.with_labels(z, [1] * 4), gan.with_labels(z, [2] * 4)
    np.testing.assert_array_equal(as_1[:, :8], as_2[:, :8])  # the same noise, another digit
    assert not np.allclose(gan.generator(as_1, training=False), gan.generator(as_2, training=False))
    images = gan.generator(as_1, training=False)
    assert not np.allclose(
        gan.discriminator([images, gan.labels(as_1)]), gan.discriminator([images, gan.labels(as_2)])
    )


def test_class_nll_by_hand():
    logits = tf.constant([[0.0, math.log(3.0)], [0.0, 0.0]])
    np.testing.assert_allclose(
        losses.class_nll([1, 0], logits).numpy(), [-math.log(0.75), math.log(2.0)], rtol=1e-6
    )


def softmax_nll(logits, labels):
    p = np.exp(logits - logits.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    return -np.log(p[np.arange(len(labels)), labels])


def test_acgan_losses_add_the_auxiliary_classifier_by_hand():
    gan = small(ACGAN)
    (x, y), z, _ = batch(gan, 8)
    fake = gan.generator(z, training=True)
    (real_logit, real_classes), (fake_logit, fake_classes) = (
        gan.discriminator(x, training=True),
        gan.discriminator(fake, training=True),
    )
    asked = np.argmax(z[:, 8:], axis=1)
    aux = softmax_nll(real_classes.numpy(), y) + softmax_nll(fake_classes.numpy(), asked)
    sig = lambda t: 1 / (1 + np.exp(-t.numpy()[:, 0]))
    gan_d = -np.log(sig(real_logit)) - np.log(1 - sig(fake_logit))
    out = gan.d_loss((x, y), z)
    np.testing.assert_allclose(out["aux"], aux, rtol=1e-5)
    np.testing.assert_allclose(out["d_loss"], gan_d + aux, rtol=1e-5)
    g = gan.g_loss(z).numpy()
    np.testing.assert_allclose(
        g, -np.log(sig(fake_logit)) + softmax_nll(fake_classes.numpy(), asked), rtol=1e-5
    )


def test_the_step_trains_on_the_labels():
    """The discriminator's loss depends on the labels that came with the real batch."""
    gan = small(CGAN)
    (x, y), z, _ = batch(gan, 8)
    assert not np.allclose(gan.d_loss((x, y), z), gan.d_loss((x, (y + 1) % 10), z))


@pytest.fixture(scope="module")
def cgan_run(digits, tmp_path_factory):
    out = str(tmp_path_factory.mktemp("cgan"))
    fit(small(CGAN), digits[0], out, steps=2, batch_size=32, verbose=0, labels=digits[1])
    return out


def test_sample_label_errors(cgan_run, digits, tmp_path, capsys):
    err = error_of(capsys, ["sample", cgan_run, "--label", "10", "--out", str(tmp_path / "s.npz")])
    assert "expected a digit 0-9 or 'all', got '10'" in err
    plain = str(tmp_path / "dcgan")
    fit(small(DCGAN), digits[0], plain, steps=1, batch_size=32, verbose=0)
    err = error_of(capsys, ["sample", plain, "--label", "3", "--out", str(tmp_path / "s.npz")])
    assert "is a dcgan run, which cannot be asked for a digit: --label needs a cgan or acgan run" in err
    assert not os.path.exists(tmp_path / "s.npz")


@pytest.fixture(scope="module")
def painted_cgan_run(digits, tmp_path_factory):
    """A cGAN run whose saved generator paints the label it is asked for into the image (``helpers.painter``)."""
    out = str(tmp_path_factory.mktemp("painted"))
    gan = small(CGAN)
    fit(gan, digits[0], out, steps=1, batch_size=32, verbose=0, labels=digits[1])
    painter(gan.latent_dim, gan.noise_dim).save(os.path.join(out, "generator.keras"))
    return out


@pytest.mark.parametrize("label, expected", [("7", [7] * 30), ("all", list(range(10)) * 3)])
def test_sample_images_show_the_digit_asked_for(painted_cgan_run, tmp_path, label, expected):
    """The images themselves, not only the 'labels' array: each is drawn from the label asked for."""
    out = str(tmp_path / "s.npz")
    assert main(["sample", painted_cgan_run, "--n", "30", "--label", label, "--out", out]) == 0
    with np.load(out) as f:
        assert f["samples"].shape == (30, 28, 28) and f["samples"].dtype == np.uint8
        assert list(f["samples"][:, 0, :10].argmax(1)) == expected == list(f["labels"])


def test_label_accuracy_reads_the_images_drawn_for_each_label(digits):
    """evaluate's label accuracy pairs each generated image with the label it was drawn for: with a generator that
    paints its label and a classifier that reads it, 100%."""
    from ganlib import evaluate

    gan = small(CGAN)
    gan.generator = gan.ema_generator = painter(gan.latent_dim, gan.noise_dim)
    model = reader()
    result = evaluate.evaluate_model(gan, model, evaluate.embed_reference(model, digits[0][:50]), 300)
    assert result["label_accuracy"] == 1.0
