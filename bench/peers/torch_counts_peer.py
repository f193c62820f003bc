#!/usr/bin/env python3
"""Counts-based PyTorch peer of reinforce-lab-bench: numpy_counts_peer.py's method (each batch's
action counts, then every per-batch sum as a matrix product of the counts and their squares) in
torch. Runs on the GPU when CUDA is available, else on the CPU, and says which.

Last line: "torch-counts N=<n> K=<k> M=<m> <value> samples/s" (torch-counts-cuda on a GPU)."""


import numpy as np
import torch

import peer_common as pc
import torch_peer

# Count matrix elements per chunk of batches, as in numpy_counts_peer.py: bounded memory at large
# N, little per-chunk overhead at small N.
CHUNK_ELEMENTS = 1 << 21


def counts_sampler(gen, device, pi_np, K):
    """A function (rows, out) -> out[:rows], filled with a float64 count matrix whose rows are
    each drawn exactly from Multinomial(K, pi). torch 1.13 has no batched counts kernel
    (distributions.Multinomial draws K categorical samples per row and scatters them), so of the
    two exact ways the cheaper for this N is taken: a conditional binomial chain, one
    torch.binomial over the rows per action, or K categorical draws per row scattered into
    counts. On the CPU a binomial draw costs about three categorical samples, hence the chain
    only while 3 (N - 1) <= K."""
    n = pi_np.size
    f64 = dict(device=device, dtype=torch.float64)
    if 3 * (n - 1) <= K:
        # Action j takes Binomial(draws left, pi_j / mass left); the mass left is summed from the
        # tail rather than subtracted from 1, which would lose the small tail probabilities.
        tail = np.cumsum(pi_np[::-1])[::-1]
        conditional = np.minimum(1.0, pi_np[:-1] / tail[:-1]).tolist()

        def chain(rows, out):
            counts = out[:rows]
            left = torch.full((rows,), float(K), **f64)
            for j, p in enumerate(conditional):
                draw = torch.binomial(left, torch.full((rows,), p, **f64), generator=gen)
                counts[:, j] = draw
                left -= draw
            counts[:, n - 1] = left
            return counts

        return chain
    pi = torch.as_tensor(pi_np, **f64)

    def scatter(rows, out):
        actions = torch.multinomial(pi, rows * K, replacement=True, generator=gen).view(rows, K)
        return out[:rows].zero_().scatter_add_(1, actions, torch.ones(rows, K, **f64))

    return scatter


def cloud(gen, device, logits, reward_np, K, M, baseline):
    # The per-policy setup is O(N) and shared with the NumPy peers; it is timed with the cloud.
    setup = pc.PolicySetup(logits, reward_np, K, baseline)
    f64 = dict(device=device, dtype=torch.float64)
    linear, square = (torch.as_tensor(w, **f64) for w in pc.count_weights(setup, reward_np))
    n = setup.pi.size
    draw_counts = counts_sampler(gen, device, setup.pi, K)
    rows = max(1, min(M, CHUNK_ELEMENTS // n))
    per_batch = {key: torch.empty(M, **f64) for key in ("gx", "gy", "norm2", "mean_adv")}
    summed = torch.zeros(2, n, **f64)  # sums over batches of scale_b * c_b and shift_b * c_b
    # One pair of chunk buffers for the whole cloud: single-threaded torch spends as long on
    # fresh 16 MB allocations (page faults) as on the arithmetic done in them.
    counts_buffer, squares_buffer = torch.empty(rows, n, **f64), torch.empty(rows, n, **f64)
    for start in range(0, M, rows):
        stop = min(M, start + rows)
        counts = draw_counts(stop - start, counts_buffer)
        squares = torch.mul(counts, counts, out=squares_buffer[:stop - start])
        terms = pc.counts_terms(counts @ linear, squares @ square, baseline, K, setup)
        for key, values in per_batch.items():
            values[start:stop] = terms[key]
        summed += torch.stack([terms["scale"], terms["shift"]]) @ counts

    gx, gy = per_batch["gx"], per_batch["gy"]
    norm2 = torch.clamp(per_batch["norm2"], min=0.0)
    reward = torch.as_tensor(reward_np, **f64)
    mean_estimate = (reward * summed[0] - summed[1]) / M
    mean_estimate -= per_batch["mean_adv"].mean() * torch.as_tensor(setup.pi, **f64)

    # The histogram is part of the engine's cloud work; nothing here reads it back.
    torch_peer.histogram(gx, gy, 64, setup.exact_mean_norm)

    stats = pc.summarize(mean_estimate.cpu().numpy(), gx.cpu().numpy(), norm2.cpu().numpy())
    return stats, setup


def main():
    torch_peer.run_torch_peer(("torch-counts-cuda", "torch-counts"), __doc__.splitlines()[0],
                              cloud)


if __name__ == "__main__":
    main()
