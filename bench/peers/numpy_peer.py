#!/usr/bin/env python3
"""NumPy peer of reinforce-lab-bench: the same gradient cloud (M batches of K samples, per-batch
estimate projected on the engine's two axes, mean estimate, trace of covariance, SNR, uphill
share, histogram), vectorised over all M * K samples with no Python loop over batches.

Last line: "numpy N=<n> K=<k> M=<m> <value> samples/s", as the C++ benchmark prints it."""

import numpy as np

import peer_common as pc


def cloud(rng, logits, reward, K, M, baseline):
    setup = pc.PolicySetup(logits, reward, K, baseline)
    pi = setup.pi
    n = pi.size
    cdf = np.cumsum(pi)
    # Inverse-CDF sampling of every action at once; the clip guards a last CDF entry just below 1.
    actions = np.searchsorted(cdf, rng.random(M * K) * cdf[-1], side="right")
    np.minimum(actions, n - 1, out=actions)
    actions = actions.reshape(M, K)
    # Sorting within each batch puts repeats of an action next to each other, which is what the
    # squared norm of the per-batch sparse sum needs; advantages are computed after the sort,
    # which is fine because they depend on the batch's rewards as a set.
    actions.sort(axis=1)
    adv = pc.advantages(reward[actions], baseline, K)
    weight = adv / K  # each sample's share of its batch's sparse part v
    mean_adv = adv.mean(axis=1)

    # g = v - mean_adv pi, projected and squared without building a length-N vector per batch.
    pi_x, pi_y, pi_pi = pi @ setup.x, pi @ setup.y, pi @ pi
    gx = (weight * setup.x[actions]).sum(axis=1) - mean_adv * pi_x
    gy = (weight * setup.y[actions]).sum(axis=1) - mean_adv * pi_y
    v_pi = (weight * pi[actions]).sum(axis=1)
    flat = actions.ravel()
    starts_mask = np.empty(flat.size, dtype=bool)
    starts_mask[0] = True
    np.not_equal(flat[1:], flat[:-1], out=starts_mask[1:])
    starts_mask[::K] = True  # a new batch starts a new group even on the same action
    starts = np.flatnonzero(starts_mask)
    group_sum = np.add.reduceat(weight.ravel(), starts)
    v_v = np.bincount(starts // K, weights=group_sum * group_sum, minlength=M)
    norm2 = np.maximum(v_v - 2.0 * mean_adv * v_pi + mean_adv * mean_adv * pi_pi, 0.0)

    mean_estimate = np.bincount(flat, weights=weight.ravel(), minlength=n) / M
    mean_estimate -= mean_adv.mean() * pi
    stats = pc.summarize(mean_estimate, gx, norm2)
    stats["histogram"] = pc.histogram(gx, gy, 64, setup.exact_mean_norm)
    return stats, setup


def main():
    pc.run_numpy_peer("numpy", __doc__.splitlines()[0], cloud)


if __name__ == "__main__":
    main()
