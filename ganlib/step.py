"""The train step: the whole algorithm, the same for every GAN here.

One discriminator update, then, on every ``n_critic``-th step, one generator update against the *updated*
discriminator, and the generator's moving average after it. ``make_train_step`` builds one step under a
``tf.distribute`` strategy; ``many_steps`` runs a number of them in one compiled call.
"""

import tensorflow as tf


def updates_generator(step, n_critic):
    """Whether step ``step`` of a run (counted from 1) updates the generator: every ``n_critic``-th does."""
    return step % n_critic == 0


def make_train_step(gan, strategy=None, jit=False):
    """A ``tf.function`` ``step(batch, update_g=True) -> {name: global mean}`` under ``strategy``.

    ``batch`` is a distributed ``(real, z_d, z_g)`` from ``make_dataset``. Losses are averaged over the global
    batch and the optimizers sum gradients over replicas, so the update does not depend on the number of
    replicas. ``scale_loss`` is the identity, except under mixed precision, where the optimizers scale the loss
    up (and the gradients back down). ``update_g`` may be a boolean tensor. The result says whether the
    generator was updated (``g_updated``, 1 or 0); ``g_loss`` means something only when it was. ``jit``: XLA.
    """
    strategy = strategy or tf.distribute.get_strategy()

    def update(loss_fn, variables, optimizer, name):
        with tf.GradientTape() as tape:
            out = loss_fn()
            out = {
                k: tf.nn.compute_average_loss(v)
                for k, v in (out if isinstance(out, dict) else {name: out}).items()
            }
            scaled = optimizer.scale_loss(out[name])
        optimizer.apply_gradients(zip(tape.gradient(scaled, variables), variables))
        return out

    def replica_step(real, z_d, z_g, update_g):
        metrics = update(lambda: gan.d_loss(real, z_d), gan.d_variables, gan.d_optimizer, "d_loss")
        if update_g:
            metrics |= update(lambda: gan.g_loss(z_g), gan.g_variables, gan.g_optimizer, "g_loss")
            gan.update_ema()
        return metrics

    def run(batch, update_g):
        per_replica = strategy.run(replica_step, args=(*batch, update_g))
        metrics = {
            k: strategy.reduce(tf.distribute.ReduceOp.SUM, v, axis=None) for k, v in per_replica.items()
        }
        return metrics | {
            "g_loss": metrics.get("g_loss", tf.constant(0.0)),
            "g_updated": tf.constant(float(update_g)),
        }

    @tf.function(jit_compile=jit)
    def step(batch, update_g=True):
        if isinstance(update_g, bool):
            return run(batch, update_g)
        return tf.cond(update_g, lambda: run(batch, True), lambda: run(batch, False))

    return step


def many_steps(step, n_critic):
    """``steps(iterator, done, n)``: steps ``done + 1 ... done + n`` of a run in one ``tf.function`` call, on batches
    from ``iterator``; returns each of the step's results as a length-``n`` tensor. Python runs once a call, not once
    a step, and nothing waits for a step's result until the call returns."""

    @tf.function
    def steps(iterator, done, n):
        def one(i):
            return step(next(iterator), True if n_critic == 1 else updates_generator(done + i + 1, n_critic))

        first = one(0)  # its keys name the arrays
        arrays = {k: tf.TensorArray(tf.float32, size=n).write(0, v) for k, v in first.items()}
        for i in tf.range(1, n):
            metrics = one(i)
            arrays = {k: a.write(i, metrics[k]) for k, a in arrays.items()}
        return {k: a.stack() for k, a in arrays.items()}

    return steps
