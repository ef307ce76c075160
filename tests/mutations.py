"""Mutation check: does each README claim's test fail when the code it guards is broken?

    python tests/mutations.py            # every mutation, one at a time, in a temporary copy of the repository
    python tests/mutations.py 3 7        # only mutations 3 and 7 (numbers as listed by --list)
    python tests/mutations.py --list

Each mutation changes one line (or a few) of ganlib, or a committed notebook, in a copy of the working tree, runs
the tests named beside it there (pytest -n 0 -x), and reports "caught" when they fail. The working tree itself is
never changed. It needs GANLIB_MNIST (or ../shared/data/mnist-offline.npz beside the repository), as the suite.
A mutation whose text is no longer in its file is reported "stale": update this table when the code moves.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# (README claim, file, [(text as it is, text broken), ...], tests that must fail)
MUTATIONS = [
    (
        "kill -9, then --resume from the last checkpoint",
        "ganlib/rundir.py",
        [
            (
                "        latest = self.manager.latest_checkpoint\n",
                "        latest = self.manager.checkpoints[0] if self.manager.checkpoints else None\n",
            )
        ],
        ["tests/test_faults.py::test_sigkill_then_resume_loses_and_repeats_nothing[vanilla]"],
    ),
    (
        "the seed drives the data order, the noise and WGAN-GP's alpha",
        "ganlib/data.py",
        [
            (
                "    per_epoch = len(images) // batch_size\n",
                "    per_epoch = len(images) // batch_size\n    seed = 0\n",
            )
        ],
        ["tests/test_data.py::test_the_seed_drives_the_data_order_the_noise_and_wgan_gps_alpha"],
    ),
    (
        "the seed drives the initial weights",
        "ganlib/cli.py",
        [("        seed=args.seed or 0,\n", "        seed=0,\n")],
        ["tests/test_data.py::test_the_seed_drives_the_initial_weights"],
    ),
    (
        "jit compiles the step with XLA",
        "ganlib/step.py",
        [("@tf.function(jit_compile=jit)", "@tf.function(jit_compile=False)")],
        ["tests/test_switches.py::test_jit_compiles_the_step_with_xla"],
    ),
    (
        "--jit on the command line",
        "ganlib/cli.py",
        [("        jit=args.jit,\n", "        jit=False,\n")],
        ["tests/test_switches.py::test_the_command_lines_jit_flag_reaches_the_step"],
    ),
    (
        "--mixed-precision on the command line",
        "ganlib/cli.py",
        [("        mixed_precision=args.mixed_precision,\n", "        mixed_precision=False,\n")],
        ["tests/test_switches.py::test_the_command_lines_mixed_precision_flag"],
    ),
    (
        "generator.keras is the moving average",
        "ganlib/rundir.py",
        [("gan.ema_generator.save(", "gan.generator.save(")],
        ["tests/test_train.py::test_the_moving_average_is_what_is_saved_and_what_generates"],
    ),
    (
        "the moving average draws the samples evaluate measures",
        "ganlib/models/base.py",
        [
            (
                "return self.ema_generator(z, training=False), self.conditions(z)",
                "return self.generator(z, training=False), self.conditions(z)",
            )
        ],
        ["tests/test_train.py::test_the_moving_average_is_what_is_saved_and_what_generates"],
    ),
    (
        "sample --label 7 draws sevens (the images, not only the labels array)",
        "ganlib/models/cgan.py",
        [
            (
                "        if labels is not None:\n            z = self.with_labels(",
                "        drawn = self.ema_generator(z, training=False)\n        if labels is not None:\n            z = self.with_labels(",
            ),
            (
                "        return self.ema_generator(z, training=False), self.conditions(z)",
                "        return drawn, self.conditions(z)",
            ),
        ],
        ["tests/test_conditional.py::test_sample_images_show_the_digit_asked_for"],
    ),
    (
        "sample writes InfoGAN's codes",
        "ganlib/models/infogan.py",
        [
            (
                '        return {"codes": self.codes(z)}',
                '        return {"codes": tf.zeros_like(self.codes(z))}',
            )
        ],
        ["tests/test_zoo.py::test_sample_writes_the_infogan_code_each_digit_was_drawn_with"],
    ),
    (
        "code/fake reads the codes the digits were drawn with",
        "ganlib/evaluate.py",
        [
            (
                '    parts = [gan.draw(m, s, "all") for m, s in _batches(n, seed, batch_size)]',
                '    parts = [(gan.draw(m, (s[0] + 1, s[1]), "all")[0], gan.draw(m, s, "all")[1]) for m, s in _batches(n, seed, batch_size)]',
            )
        ],
        ["tests/test_zoo.py::test_generated_code_accuracy_pairs_each_image_with_its_code"],
    ),
    (
        "label accuracy reads the digit each image was asked to be",
        "ganlib/models/cgan.py",
        [
            (
                '        return {"labels": self.labels(z)}',
                '        return {"labels": (self.labels(z) + 1) % self.classes}',
            )
        ],
        ["tests/test_conditional.py::test_label_accuracy_reads_the_images_drawn_for_each_label"],
    ),
    (
        "half-written grids are never under a grid's name",
        "ganlib/plots.py",
        [
            (
                'imageio.imwrite(path + ".part", grid(images, cols), format="png", compress_level=1)\n    os.replace(path + ".part", path)',
                'imageio.imwrite(path, grid(images, cols), format="png", compress_level=1)',
            )
        ],
        ["tests/test_plots.py::test_a_grid_is_written_whole_or_not_at_all"],
    ),
    (
        "NaN stops training: every loss is checked",
        "ganlib/train.py",
        [
            (
                "bad = [k for k, v in row.items() if not math.isfinite(v)]",
                'bad = [k for k, v in row.items() if k == "d_loss" and not math.isfinite(v)]',
            )
        ],
        ["tests/test_train.py::test_nan_guard_reads_the_generators_loss_too"],
    ),
    (
        "NaN stops training within one call of at most 100 steps",
        "ganlib/train.py",
        [("CALL_STEPS = 100 ", "CALL_STEPS = 1000 ")],
        ["tests/test_train.py::test_nan_guard_stops_within_a_call_of_at_most_100_steps"],
    ),
    (
        "the classifier is trained once and cached",
        "ganlib/classifier.py",
        [("    if os.path.exists(path):\n        return load_classifier(path)\n", "")],
        ["tests/test_evaluate.py::test_classifier_learns_and_is_cached"],
    ),
    (
        "--strategy auto mirrors on two or more GPUs",
        "ganlib/distribute.py",
        [('"mirrored" if len(gpus) > 1 else "default"', '"mirrored" if len(gpus) > 2 else "default"')],
        ["tests/test_distributed.py::test_auto_mirrors_over_two_or_more_gpus"],
    ),
    (
        "import ganlib loads TensorFlow lazily",
        "ganlib/__init__.py",
        [("import importlib\n", "import importlib\n\nimport tensorflow  # noqa: F401\n")],
        ["tests/test_cli.py::test_import_ganlib_loads_tensorflow_only_when_needed"],
    ),
    (
        "a committed notebook check shows the bounds of its source",
        "notebooks/02_dcgan.ipynb",
        [
            (
                "evaluate.check(r, RUN_DIR, fcd=15, precision=0.65",
                "evaluate.check(r, RUN_DIR, fcd=12, precision=0.65",
            )
        ],
        ["tests/test_notebooks.py::test_each_committed_check_shows_the_bounds_its_source_states_now"],
    ),
    (
        "bad input: a negative seed",
        "ganlib/cli.py",
        [
            (
                '_seed = _whole(0, "a seed: a whole number from 0 to 2**32 - 1", maximum=2**32 - 1)',
                "_seed = int",
            )
        ],
        ["tests/test_cli.py::test_bad_arguments"],
    ),
    (
        "bad input: evaluate --n 3",
        "ganlib/cli.py",
        [("        type=_sample_count,\n", "        type=_positive,\n")],
        ["tests/test_cli.py::test_bad_arguments"],
    ),
    (
        "bad input: n_critic=0, a negative learning rate, ema > 1",
        "ganlib/models/base.py",
        [("    if not (math.isfinite(value) and within(value)):\n", "    if False:\n")],
        ["tests/test_cli.py::test_bad_hyperparameters"],
    ),
    (
        "a write TensorFlow fails is a one-line error",
        "ganlib/rundir.py",
        [
            (
                "        except (OSError, tf.errors.OpError) as e:\n            reason",
                "        except OSError as e:\n            reason",
            )
        ],
        [
            "tests/test_train.py::test_a_write_that_fails_stops_with_a_clear_error_and_keeps_the_last_checkpoint",
            "tests/test_cli.py::test_a_write_that_fails_mid_run_is_a_one_line_error",
        ],
    ),
    (
        "a run stopped before its first checkpoint leaves nothing in the next",
        "ganlib/rundir.py",
        [("                clear(out_dir)\n", "                pass\n")],
        ["tests/test_train.py::test_a_run_stopped_before_its_first_checkpoint_is_cleared_by_the_next"],
    ),
    (
        "a notebook re-run keeps the previous run",
        "ganlib/rundir.py",
        [('    os.rename(run_dir, f"{run_dir}.{n}")\n', "    shutil.rmtree(run_dir)\n")],
        ["tests/test_train.py::test_set_aside_keeps_the_previous_run_beside_the_new_one"],
    ),
    (
        "a model's hyperparameters are fixed once it is built",
        "ganlib/models/base.py",
        [("        if name in self.HPARAMS:\n", "        if False:\n")],
        ["tests/test_models.py::test_hyperparameters_are_declared_once_and_fixed_when_built"],
    ),
    (
        "a run from a newer format stops with a clear error",
        "ganlib/rundir.py",
        [("    if not isinstance(version, int) or version > FORMAT:\n", "    if False:\n")],
        ["tests/test_train.py::test_run_json_has_a_format_version_and_a_newer_one_is_refused"],
    ),
    (
        "on_call sizes the calls, stops the loop, sees their times",
        "ganlib/train.py",
        [
            (
                "                cap = on_call(call) if on_call else None\n",
                "                on_call(call) if on_call else None\n",
            )
        ],
        ["tests/test_train.py::test_on_call_sees_each_call_sizes_the_next_and_stops_the_loop"],
    ),
    (
        "TF_CPP_MIN_LOG_LEVEL=3 keeps the start-up lines hidden",
        "ganlib/quiet.py",
        [
            (
                '    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")\n',
                '    if "TF_CPP_MIN_LOG_LEVEL" in os.environ:\n        return\n    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"\n',
            )
        ],
        ["tests/test_cli.py::test_the_command_line_starts_without_tensorflows_start_up_lines_unless_asked"],
    ),
    (
        "a folder without train/ and test/ holds out 1 in 7 of each class",
        "ganlib/data.py",
        [("permutation(where)[::TEST_SHARE]] = True", "permutation(where)[:1]] = True")],
        ["tests/test_data.py::test_a_folder_of_class_subfolders_holds_out_one_in_seven_of_each_class"],
    ),
    (
        "ON_DRIVE mounts Google Drive on Colab",
        "ganlib/rundir.py",
        [('    if not os.path.isdir(os.path.join(mount_point, "MyDrive")):\n', "    if False:\n")],
        ["tests/test_train.py::test_on_drive_keeps_a_run_on_google_drive_on_colab_and_resume_continues_it"],
    ),
    (
        "a settings cell tagged parameters takes papermill's values",
        "notebooks/02_dcgan.ipynb",
        [('"parameters"', '"settings"')],
        [
            "tests/test_notebooks.py::test_every_try_this_that_changes_settings_runs[02_dcgan: 2 the paper's settings (and another seed and run directory)]"
        ],
    ),
    (
        "a Try-this run with other settings reports a missed bound instead of raising",
        "ganlib/evaluate.py",
        [("    if worse and changed:\n", "    if False:\n")],
        [
            "tests/test_evaluate.py::test_check_reports_a_miss_of_a_run_with_other_settings_and_raises_for_the_defaults"
        ],
    ),
    (
        "every Try-this settings change runs: 00's checks report a miss with other settings",
        "notebooks/00_gan_theory.ipynb",
        [('    "    if not condition and AT_DEFAULTS:\\n",', '    "    if not condition:\\n",')],
        [
            "tests/test_notebooks.py::test_every_try_this_that_changes_settings_runs[00_gan_theory: 1 MU_G, 2 MI_SAMPLES, 4 SIGMA]"
        ],
    ),
    (
        "every Try-this settings change runs: 06 with fewer MODELS than four",
        "notebooks/06_compare.ipynb",
        [
            (
                '"for part in (names[i : i + 4] for i in range(0, len(names), 4)):\\n",',
                '"for part in (names[:4], names[4:]):\\n",',
            )
        ],
        [
            "tests/test_notebooks.py::test_every_try_this_that_changes_settings_runs[06_compare: 1 another seed's run added to MODELS, 2 fewer SAMPLES (100: smoke mode keeps 256 training digits)]"
        ],
    ),
    (
        "04's copyable WGAN step is ganlib's step",
        "notebooks/src/04_wgan.py",
        [("        w.assign(tf.clip_by_value(w, -0.01, 0.01))\n", "        w.assign(w)\n")],
        ["tests/test_notebooks.py::test_the_wgan_step_of_04_is_ganlibs_step"],
    ),
    (
        "05's copyable InfoGAN step is ganlib's step",
        "notebooks/src/05_infogan.py",
        [
            (
                "        g_loss = cross_entropy(tf.ones_like(fake_logit), fake_logit) + info\n",
                "        g_loss = cross_entropy(tf.ones_like(fake_logit), fake_logit)\n",
            )
        ],
        ["tests/test_notebooks.py::test_the_infogan_step_of_05_is_ganlibs_step"],
    ),
    (
        "fit(verbose=2) prints about twenty lines a run",
        "ganlib/train.py",
        [("(epoch + 1) % math.ceil(epochs / LOG_LINES) == 0", "(epoch + 1) % 1 == 0")],
        ["tests/test_train.py::test_verbose_2_prints_about_twenty_lines_a_run"],
    ),
    (
        "the code fingerprint ignores docstrings",
        "ganlib/rundir.py",
        [
            (
                "                    node.body = body[1:] or [ast.Pass()]\n",
                "                    node.body = body\n",
            )
        ],
        ["tests/test_train.py::test_fingerprint_follows_the_code_and_the_settings_not_the_text"],
    ),
    (
        "a finished run records the fingerprint of what made it in run.json",
        "ganlib/rundir.py",
        [
            (
                'made = fingerprint(gan, int(history[-1]["step"]), run["batch_size"], run["seed"])',
                'made = fingerprint(gan, 0, run["batch_size"], run["seed"])',
            )
        ],
        ["tests/test_train.py::test_a_run_writes_everything"],
    ),
    (
        "a committed notebook run was made by today's code (its fingerprint)",
        "ganlib/models/lsgan.py",
        [("        return losses.lsgan_g_loss(", "        return 0.5 * losses.lsgan_g_loss(")],
        ["tests/test_notebooks.py::test_each_committed_run_was_made_by_todays_code_and_settings"],
    ),
    (
        "DCGAN's discriminator has the dense layer (d_hidden)",
        "ganlib/models/dcgan.py",
        [
            (
                "        return build_discriminator(self.width, hidden=self.d_hidden)",
                "        return build_discriminator(self.width)",
            )
        ],
        ["tests/test_models.py::test_a_dense_layer_before_the_output_is_dcgans_and_switchable_in_the_others"],
    ),
    (
        "WGAN-GP's critic normalises the dense layer per example (layer norm)",
        "ganlib/models/dcgan.py",
        [
            (
                "*([norms[norm]()] if norm else []), layers.LeakyReLU(0.2)]",
                "layers.BatchNormalization(), layers.LeakyReLU(0.2)]",
            )
        ],
        ["tests/test_models.py::test_a_dense_layer_before_the_output_is_dcgans_and_switchable_in_the_others"],
    ),
    (
        "time_to_quality's --grids saves each evaluation's progress grid",
        "benchmarks/time_to_quality.py",
        [
            (
                '                    plots.save_grid(row.pop("grid"), os.path.join(args.grids, f"{name} {row[\'steps\']}.png"))\n',
                '                    row.pop("grid")\n',
            )
        ],
        ["tests/test_benchmarks.py::test_time_to_quality_counts_steps_with_steps_and_saves_grids"],
    ),
    (
        "self-conditioning: each fake is scored with the cluster it was drawn for",
        "ganlib/models/selfcond.py",
        [("[fake, self.cluster_of(z)] if self.clusters", "[fake, 0 * self.cluster_of(z)] if self.clusters")],
        ["tests/test_selfcond.py::test_discriminator_scores_each_image_with_its_cluster"],
    ),
    (
        "self-conditioning: the clusters are drawn by their share of the training digits",
        "ganlib/models/selfcond.py",
        [
            (
                "        sizes = np.ones(self.clusters) if self.cluster_sizes is None else",
                "        sizes = np.ones(self.clusters) if True else",
            )
        ],
        ["tests/test_selfcond.py::test_lsgan_trains_on_clusters_of_the_digits_and_draws_them_by_their_share"],
    ),
    (
        "self-conditioning: fit trains on each digit's cluster (k-means), not on nothing",
        "ganlib/train.py",
        [
            (
                "    labelled = gan.real_labels(images, labels)",
                "    labelled = labels if gan.conditional else None",
            )
        ],
        ["tests/test_selfcond.py::test_a_run_keeps_its_clusters_and_resumes_only_on_its_digits"],
    ),
    (
        "a run keeps its cluster sizes: a loaded run draws as it trained",
        "ganlib/rundir.py",
        [
            (
                '    if run.get("cluster_sizes") is not None:\n        gan.cluster_sizes',
                "    if False:\n        gan.cluster_sizes",
            )
        ],
        ["tests/test_selfcond.py::test_a_run_keeps_its_clusters_and_resumes_only_on_its_digits"],
    ),
    (
        "an LSGAN run from before self-conditioning rebuilds as it trained (PREDATED)",
        "ganlib/rundir.py",
        [('"lsgan": {"clusters": 0}', '"lsgan": {}')],
        ["tests/test_selfcond.py::test_a_run_made_before_a_hyperparameter_existed_rebuilds_as_it_trained"],
    ),
    (
        "the fingerprint covers the model modules a model builds with (LSGAN: cgan.py)",
        "ganlib/rundir.py",
        [("    todo = list(modules)  #", "    todo = []  #")],
        ["tests/test_train.py::test_fingerprint_follows_the_model_modules_a_model_builds_with"],
    ),
    (
        "InfoGAN weights the continuous codes' term by cont_weight",
        "ganlib/models/infogan.py",
        [("categorical + self.cont_weight * losses.gaussian_nll(", "categorical + losses.gaussian_nll(")],
        ["tests/test_zoo.py::test_infogan_info_loss_weights_the_continuous_codes_by_cont_weight"],
    ),
    (
        "InfoGAN's generator has a dense layer only with g_hidden",
        "ganlib/models/infogan.py",
        [("hidden=self.g_hidden", "hidden=self.hidden")],
        ["tests/test_zoo.py::test_infogan_generator_has_the_authors_dense_layer_only_when_asked"],
    ),
    (
        "an InfoGAN run from before g_hidden and cont_weight rebuilds as it trained (PREDATED)",
        "ganlib/rundir.py",
        [('"infogan": {"g_hidden": 1024, "cont_weight": 1.0, "q_ema": 0.0},', '"infogan": {"q_ema": 0.0},')],
        [
            "tests/test_zoo.py::test_an_infogan_run_from_before_g_hidden_cont_weight_and_q_ema_rebuilds_as_it_trained"
        ],
    ),
    (
        "an InfoGAN run from before q_ema restores its checkpoint (PREDATED)",
        "ganlib/rundir.py",
        [('"cont_weight": 1.0, "q_ema": 0.0},', '"cont_weight": 1.0},')],
        [
            "tests/test_zoo.py::test_an_infogan_run_from_before_g_hidden_cont_weight_and_q_ema_rebuilds_as_it_trained"
        ],
    ),
    (
        "InfoGAN's Q reads real digits through the discriminator's average",
        "ganlib/models/infogan.py",
        [
            (
                "_, q = self.ema_discriminator(images, training=False)",
                "_, q = self.discriminator(images, training=False)",
            )
        ],
        ["tests/test_zoo.py::test_infogan_reads_real_digits_through_the_discriminators_average"],
    ),
    (
        "InfoGAN's discriminator average follows its formula",
        "ganlib/models/infogan.py",
        [
            (
                "beta = tf.minimum(self.q_ema, (1.0 + t) / (10.0 + t))",
                "beta = tf.minimum(self.q_ema, (1.0 + t) / (2.0 + t))",
            )
        ],
        ["tests/test_zoo.py::test_infogan_reads_real_digits_through_the_discriminators_average"],
    ),
    (
        "a checkpoint holds InfoGAN's discriminator average",
        "ganlib/rundir.py",
        [('{"ema_discriminator": gan.ema_discriminator}', "{}")],
        [
            "tests/test_zoo.py::test_infogan_reads_real_digits_through_the_discriminators_average",
            "tests/test_train.py::test_every_model_repeats_with_its_seed_and_resumes_bit_for_bit[infogan]",
        ],
    ),
    (
        "05's copyable InfoGAN step weights the continuous codes as ganlib's",
        "notebooks/src/05_infogan.py",
        [("0.01 * tf.reduce_mean(gaussian)", "tf.reduce_mean(gaussian)")],
        ["tests/test_notebooks.py::test_the_infogan_step_of_05_is_ganlibs_step"],
    ),
    (
        "WGAN is self-conditioned: G and the critic are told the cluster (selfcond.py)",
        "ganlib/models/wgan.py",
        [
            (
                '"wasserstein": -loss}\n\n    def g_loss(self, z):\n'
                "        return losses.wgan_g_loss(self.fake_scores(self.generator(z, training=True), z))",
                '"wasserstein": -loss}\n\n    def g_loss(self, z):\n'
                "        return losses.wgan_g_loss(self.real_scores((self.generator(z, training=True), 0 * self.cluster_of(z))))",
            )
        ],
        ["tests/test_zoo.py::test_wgan_is_self_conditioned_its_critic_scoring_each_image_with_its_cluster"],
    ),
    (
        "the self-conditioned critic's cluster vectors are clipped too",
        "ganlib/models/wgan.py",
        [
            (
                "            w.constraint = Clip(self.clip)",
                '            w.constraint = None if "embedding" in w.path else Clip(self.clip)',
            )
        ],
        ["tests/test_zoo.py::test_weight_clipping_keeps_every_critic_weight_in_bounds"],
    ),
    (
        "PyTorch's RMSprop takes the cluster vectors' sparse gradient as its dense one",
        "ganlib/models/wgan.py",
        [
            (
                "keras.ops.cast(tf.convert_to_tensor(gradient), variable.dtype)",
                "keras.ops.cast(gradient, variable.dtype)",
            )
        ],
        ["tests/test_zoo.py::test_torch_rmsprop_takes_an_embeddings_sparse_gradient_as_its_dense_one"],
    ),
    (
        "a WGAN run from before self-conditioning rebuilds as it trained (PREDATED)",
        "ganlib/rundir.py",
        [('    "wgan": {"clusters": 0, "temperature": 1.0},\n', "")],
        ["tests/test_selfcond.py::test_a_run_made_before_a_hyperparameter_existed_rebuilds_as_it_trained"],
    ),
    (
        "WGAN draws at a reduced temperature: the noise scaled, the cluster kept",
        "ganlib/models/selfcond.py",
        [
            (
                "[self.temperature * z[:, : self.latent_dim], z[:, self.latent_dim :]]",
                "[self.temperature * z[:, : self.latent_dim], self.temperature * z[:, self.latent_dim :]]",
            )
        ],
        ["tests/test_selfcond.py::test_draw_scales_the_noise_by_the_temperature_and_keeps_the_cluster"],
    ),
    (
        "a WGAN run from before the temperature draws as trained (PREDATED)",
        "ganlib/rundir.py",
        [('"wgan": {"clusters": 0, "temperature": 1.0}', '"wgan": {"clusters": 0}')],
        ["tests/test_selfcond.py::test_a_run_made_before_a_hyperparameter_existed_rebuilds_as_it_trained"],
    ),
    (
        "vanilla's discriminator loss adds R1 at gamma / 2 (the penalty weighted gamma instead)",
        "ganlib/models/vanilla.py",
        [("fake_logits) + self.r1 / 2 * penalty", "fake_logits) + self.r1 * penalty")],
        ["tests/test_zoo.py::test_vanilla_discriminator_loss_adds_r1_on_the_real_digits"],
    ),
    (
        "vanilla's R1 is the gradient at the real digits (taken at the fakes instead)",
        "ganlib/models/vanilla.py",
        [
            (
                "        fake_logits = self.discriminator(self.generator(z, training=True), training=True)\n        return",
                "        fake_logits = self.discriminator(self.generator(z, training=True), training=True)\n"
                "        with tf.GradientTape() as tape:\n"
                "            fake = self.generator(z, training=True)\n"
                "            tape.watch(fake)\n"
                "            out = self.discriminator(fake, training=True)\n"
                "        penalty = tf.reduce_sum(tf.square(tape.gradient(out, fake)), axis=[1, 2, 3])\n"
                "        return",
            )
        ],
        ["tests/test_zoo.py::test_vanilla_discriminator_loss_adds_r1_on_the_real_digits"],
    ),
    (
        "a vanilla run from before R1 rebuilds without it (PREDATED)",
        "ganlib/rundir.py",
        [('    "vanilla": {"r1": 0.0},\n', "")],
        ["tests/test_zoo.py::test_a_vanilla_run_from_before_r1_rebuilds_without_it"],
    ),
    (
        "WGAN-GP's penalty scores the interpolates with the real digit's cluster (the fake's instead)",
        "ganlib/models/wgan.py",
        [
            (
                "(x, y), critic = real, lambda images, training:",
                "(x, _), y, critic = real, self.cluster_of(z), lambda images, training:",
            )
        ],
        ["tests/test_zoo.py::test_wgan_gp_is_self_conditioned_its_penalty_taken_at_the_real_digits_cluster"],
    ),
    (
        "WGAN-GP is self-conditioned: the critic scores each fake with its cluster (cluster 0 instead)",
        "ganlib/models/wgan.py",
        [
            (
                '"gradient_penalty": penalty}\n\n    def g_loss(self, z):\n'
                "        return losses.wgan_g_loss(self.fake_scores(self.generator(z, training=True), z))",
                '"gradient_penalty": penalty}\n\n    def g_loss(self, z):\n'
                "        return losses.wgan_g_loss(self.fake_scores(self.generator(z, training=True), 0 * z))",
            )
        ],
        ["tests/test_zoo.py::test_wgan_gp_is_self_conditioned_its_penalty_taken_at_the_real_digits_cluster"],
    ),
    (
        "a WGAN-GP run from before self-conditioning rebuilds as it trained (PREDATED)",
        "ganlib/rundir.py",
        [('    "wgan-gp": {"clusters": 0, "temperature": 1.0},\n', "")],
        ["tests/test_selfcond.py::test_a_run_made_before_a_hyperparameter_existed_rebuilds_as_it_trained"],
    ),
    (
        "a step on 2 replicas equals one device: WGAN-GP's alpha comes with the batch (drawn per replica instead)",
        "ganlib/models/wgan.py",
        [
            (
                "        z, alpha = z_alpha\n",
                "        z, alpha = z_alpha[0], tf.random.stateless_uniform([tf.shape(z_alpha[0])[0]], [0, 0])\n",
            )
        ],
        ["tests/test_distributed.py::test_two_replicas_equal_one_device"],
    ),
]


def copy_of_the_tree():
    files = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    target = tempfile.mkdtemp(prefix="ganlib-mutations-")
    for name in files:
        if os.path.isfile(os.path.join(ROOT, name)):
            os.makedirs(os.path.dirname(os.path.join(target, name)), exist_ok=True)
            shutil.copy2(os.path.join(ROOT, name), os.path.join(target, name))
    return target


def replace_once(text, old, new):
    if text.count(old) != 1:
        return None
    return text.replace(old, new)


def run(index, tree, env):
    claim, path, edits, tests = MUTATIONS[index]
    full = os.path.join(tree, path)
    original = mutated = open(full).read()
    for old, new in edits:
        mutated = replace_once(mutated, old, new)
        if mutated is None:
            return "stale", 0.0
    with open(full, "w") as f:
        f.write(mutated)
    start = time.time()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-x", "-n", "0", "-p", "no:cacheprovider", *tests],
            cwd=tree,
            env=env,
            capture_output=True,
            text=True,
        )
    finally:
        with open(full, "w") as f:
            f.write(original)
    verdict = {0: "NOT CAUGHT", 1: "caught"}.get(done.returncode, f"error (pytest exit {done.returncode})")
    if verdict != "caught":
        print(done.stdout[-3000:], done.stderr[-2000:], sep="\n")
    return verdict, time.time() - start


def main(argv):
    if "--list" in argv:
        for i, (claim, path, *_) in enumerate(MUTATIONS):
            print(f"{i:2d}  {claim}  ({path})")
        return 0
    chosen = [int(a) for a in argv] or range(len(MUTATIONS))
    env = dict(os.environ)
    env.setdefault("GANLIB_MNIST", os.path.join(os.path.dirname(ROOT), "shared", "data", "mnist-offline.npz"))
    tree = copy_of_the_tree()
    missed = 0
    try:
        print(
            "| # | README claim | mutation in | tests | verdict | seconds |\n| --- | --- | --- | --- | --- | --- |",
            flush=True,
        )
        for i in chosen:
            verdict, seconds = run(i, tree, env)
            missed += verdict != "caught"
            claim, path, _, tests = MUTATIONS[i]
            names = ", ".join(t.split("::", 1)[1] for t in tests)
            print(f"| {i} | {claim} | `{path}` | `{names}` | {verdict} | {seconds:.0f} |", flush=True)
    finally:
        shutil.rmtree(tree, ignore_errors=True)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
