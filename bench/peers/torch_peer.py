#!/usr/bin/env python3
"""PyTorch peer of reinforce-lab-bench: the same gradient cloud as numpy_peer.py, with
torch.multinomial for the actions and scatter_add for every per-batch and per-action sum. Runs on
the GPU when CUDA is available, else on the CPU, and says which.

Last line: "torch-cuda N=<n> K=<k> M=<m> <value> samples/s" (or torch-cpu)."""

import sys

import numpy as np
import torch

import peer_common as pc


def cloud(gen, device, logits, reward_np, K, M, baseline):
    # The per-policy setup is O(N) and shared with the NumPy peer; it is timed with the cloud.
    setup = pc.PolicySetup(logits, reward_np, K, baseline)
    f32 = dict(device=device, dtype=torch.float32)
    pi = torch.as_tensor(setup.pi, **f32)
    x = torch.as_tensor(setup.x, **f32)
    y = torch.as_tensor(setup.y, **f32)
    reward = torch.as_tensor(reward_np, **f32)
    n = pi.numel()

    actions = torch.multinomial(pi, M * K, replacement=True, generator=gen).view(M, K)
    # Repeats of an action sit together after a per-batch sort, so the squared norm of each
    # batch's sparse sum is a segment sum (see numpy_peer.py).
    actions, _ = torch.sort(actions, dim=1)
    rewards = reward[actions]
    if baseline == "none":
        adv = rewards
    else:
        total = rewards.sum(dim=1, keepdim=True)
        adv = rewards - (total / K if baseline == "batch_mean" else (total - rewards) / (K - 1))
    weight = (adv / K).reshape(-1)
    mean_adv = adv.mean(dim=1, dtype=torch.float64)
    flat = actions.reshape(-1)
    batch = torch.arange(M, device=device).repeat_interleave(K)

    def per_batch(values):
        return torch.zeros(M, device=device, dtype=torch.float64).scatter_add_(
            0, batch, (weight * values).double())

    gx = per_batch(x[flat]) - mean_adv * float(setup.pi @ setup.x)
    gy = per_batch(y[flat]) - mean_adv * float(setup.pi @ setup.y)
    v_pi = per_batch(pi[flat])
    new_group = torch.ones_like(flat, dtype=torch.bool)
    new_group[1:] = flat[1:] != flat[:-1]
    new_group[::K] = True
    group = torch.cumsum(new_group, 0) - 1
    groups = int(group[-1]) + 1
    group_sum = torch.zeros(groups, device=device, dtype=torch.float64).scatter_add_(
        0, group, weight.double())
    group_batch = torch.zeros(groups, device=device, dtype=torch.long).scatter_(0, group, batch)
    v_v = torch.zeros(M, device=device, dtype=torch.float64).scatter_add_(
        0, group_batch, group_sum * group_sum)
    pi_pi = float(setup.pi @ setup.pi)
    norm2 = torch.clamp(v_v - 2.0 * mean_adv * v_pi + mean_adv * mean_adv * pi_pi, min=0.0)
    mean_estimate = torch.zeros(n, device=device, dtype=torch.float64).scatter_add_(
        0, flat, weight.double()) / M
    mean_estimate -= mean_adv.mean() * torch.as_tensor(setup.pi, device=device)

    # The histogram is part of the engine's cloud work; nothing here reads it back.
    histogram(gx, gy, 64, setup.exact_mean_norm)

    stats = pc.summarize(mean_estimate.cpu().numpy(), gx.cpu().numpy(), norm2.cpu().numpy())
    return stats, setup


def histogram(gx, gy, bins, grad_norm):
    """peer_common.histogram on the device, over the engine's bulk range."""
    hist = torch.zeros(bins * bins, device=gx.device, dtype=torch.long)
    ranges = [bulk_range(gx, 0.0, grad_norm), bulk_range(gy, 0.0)]
    ix, iy = [((v - lo) * (bins / (hi - lo))).long().clamp_(0, bins - 1)
              for v, (lo, hi) in zip((gx, gy), ranges)]
    return hist.scatter_add_(0, iy * bins + ix, torch.ones_like(ix))


def bulk_range(v, *must_include):
    mean, sd = float(v.mean()), float(v.std(unbiased=False))
    lo = min(max(float(v.min()), mean - 4 * sd), *must_include)
    hi = max(min(float(v.max()), mean + 4 * sd), *must_include)
    if not hi > lo:
        pad = max(1e-12, abs(lo) * 1e-6)
        lo, hi = lo - pad, hi + pad
    return lo, hi


def run_torch_peer(names, description, cloud):
    """A torch peer's main: names = (on a GPU, on the CPU); only
    `cloud(gen, device, logits, reward, K, M, baseline)` differs between the torch peers."""
    args = pc.parse_args(description)
    cuda = torch.cuda.is_available()
    device = torch.device("cuda" if cuda else "cpu")
    name = names[0] if cuda else names[1]
    print(f"torch {torch.__version__} on "
          f"{torch.cuda.get_device_name(0) if cuda else 'the CPU (no CUDA device available)'}, "
          f"{torch.get_num_threads()} CPU threads", file=sys.stderr)
    logits, reward = pc.bench_problem(args.N)
    gen = torch.Generator(device=device)
    last = {}

    def run_cloud(step):
        gen.manual_seed(args.seed * 1_000_003 + step)
        last["stats"], last["setup"] = cloud(gen, device, logits, reward, args.K, args.M,
                                             args.baseline)
        return last["stats"]

    sync = torch.cuda.synchronize if cuda else (lambda: None)
    clouds, elapsed, stats = pc.measure(run_cloud, args.seconds, sync)
    pc.report(name, args, clouds, elapsed, stats, last["setup"])


def main():
    run_torch_peer(("torch-cuda", "torch-cpu"), __doc__.splitlines()[0], cloud)


if __name__ == "__main__":
    main()
