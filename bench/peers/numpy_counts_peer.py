#!/usr/bin/env python3
"""Counts-based NumPy peer of reinforce-lab-bench: the same gradient cloud as numpy_peer.py, drawn
as each batch's action counts (rng.multinomial(K, pi, size=M), an M x N count matrix) rather than
as M * K single actions. With the bench problem's fixed rewards every per-batch sum the cloud
needs (reward total, projections on the two axes, squared norm) is linear in the counts and their
squares, so a chunk of batches costs one multinomial draw and two matrix products.

Last line: "numpy-counts N=<n> K=<k> M=<m> <value> samples/s", as the C++ benchmark prints it."""

import numpy as np

import peer_common as pc

# Count matrix elements per chunk of batches: 2^21 float64 elements are 16 MB an array, which
# keeps memory bounded at N = 50,000 (the whole 16,384 x 50,000 matrix would be 6.5 GB) while
# being large enough that the per-chunk Python overhead does not show at small N.
CHUNK_ELEMENTS = 1 << 21


def cloud(rng, logits, reward, K, M, baseline):
    setup = pc.PolicySetup(logits, reward, K, baseline)
    pi = setup.pi
    n = pi.size
    linear, square = pc.count_weights(setup, reward)
    rows = max(1, min(M, CHUNK_ELEMENTS // n))
    per_batch = {key: np.empty(M) for key in ("gx", "gy", "norm2", "mean_adv")}
    scaled_counts = np.zeros(n)  # sum over batches of scale_b * c_b
    shifted_counts = np.zeros(n)  # and of shift_b * c_b
    # Chunk buffers reused across chunks: fresh 16 MB arrays cost page faults on every chunk.
    counts_buffer, squares_buffer = np.empty((rows, n)), np.empty((rows, n))
    for start in range(0, M, rows):
        stop = min(M, start + rows)
        counts = counts_buffer[:stop - start]
        # numpy's multinomial is a conditional binomial chain over the actions that stops once
        # the K draws are used up, so the bench problem's descending Zipf policy ends it early
        # at small N; at large N its tail still has mass and the chain runs O(N) per batch.
        # Its int64 counts become float64 so the products below run in BLAS.
        np.copyto(counts, rng.multinomial(K, pi, size=stop - start))
        squares = np.multiply(counts, counts, out=squares_buffer[:stop - start])
        terms = pc.counts_terms(counts @ linear, squares @ square, baseline, K, setup)
        for key, values in per_batch.items():
            values[start:stop] = terms[key]
        both = np.stack([terms["scale"], terms["shift"]]) @ counts
        scaled_counts += both[0]
        shifted_counts += both[1]

    gx, gy = per_batch["gx"], per_batch["gy"]
    norm2 = np.maximum(per_batch["norm2"], 0.0)
    mean_estimate = (reward * scaled_counts - shifted_counts) / M
    mean_estimate -= per_batch["mean_adv"].mean() * pi
    stats = pc.summarize(mean_estimate, gx, norm2)
    stats["histogram"] = pc.histogram(gx, gy, 64, setup.exact_mean_norm)
    return stats, setup


def main():
    pc.run_numpy_peer("numpy-counts", __doc__.splitlines()[0], cloud)


if __name__ == "__main__":
    main()
