"""What the NumPy and PyTorch peers share: the benchmark problem, the per-policy setup (policy,
true gradient, the two cloud axes) and the reporting lines, all mirroring reinforce-lab-bench so
that the three programs measure the same work and print comparable statistics."""

import argparse
import math
import sys
import time

import numpy as np

# The baselines the peers implement: those whose advantages are a function of the batch alone.
BASELINES = ("none", "batch_mean", "rloo")


def parse_args(description):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--N", type=int, default=3, help="number of actions")
    p.add_argument("--K", type=int, default=64, help="samples per estimate")
    p.add_argument("--M", type=int, default=16384, help="estimates per cloud")
    p.add_argument("--baseline", default="none", choices=BASELINES)
    p.add_argument("--seconds", type=float, default=1.0, help="minimum measuring time")
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    if args.N < 2 or args.K < 1 or args.M < 2:
        p.error("need N >= 2, K >= 1, M >= 2")
    if args.baseline == "rloo" and args.K < 2:
        p.error("rloo needs K >= 2")
    return args


def bench_problem(n):
    """Zipf-shaped logits -log(1 + a), reward 1 on every 100th action: cloud_bench.cpp's problem."""
    a = np.arange(n)
    return -np.log1p(a.astype(np.float64)), (a % 100 == 0).astype(np.float64)


def softmax(logits):
    z = np.exp(logits - logits.max())
    return z / z.sum()


def covariance_apply(pi, alpha, beta, grad, v):
    # One-sample covariance times v without forming it: sum_a alpha_a s_a <s_a, v> + beta g <g, v>,
    # with s_a = e_a - pi, as the engine's covariance model applies it.
    c = alpha * (v - pi @ v)
    return c - c.sum() * pi + beta * (grad @ v) * grad


def second_axis(pi, alpha, beta, grad, x):
    """Largest-variance unit direction orthogonal to x, by the engine's power iteration (same
    start vector and stopping rule), so the y projections are comparable."""
    i = np.arange(pi.size)
    v = 1.0 + 0.618 * (i % 7) - 0.3 * (i % 3)
    v -= (v @ x) * x
    v /= np.linalg.norm(v)
    previous = -1.0
    for _ in range(300):
        w = covariance_apply(pi, alpha, beta, grad, v)
        w -= (w @ x) * x
        lam = w @ v
        length = np.linalg.norm(w)
        if not length > 1e-300:
            break
        v = w / length
        if abs(lam - previous) <= 1e-7 * abs(lam):
            break
        previous = lam
    big = np.argmax(np.abs(v))
    return -v if v[big] < 0 else v


class PolicySetup:
    """Everything a cloud needs about one policy; rebuilt per cloud, as the engine does per frame."""

    def __init__(self, logits, reward, K, baseline):
        self.pi = softmax(logits)
        J = self.pi @ reward
        self.grad = self.pi * (reward - J)
        self.x = self.grad / np.linalg.norm(self.grad)
        # The engine's axis covariance: the closed form for no baseline, the constant-J one (close
        # to RLOO's and the batch mean's for the K used here) otherwise.
        b = 0.0 if baseline == "none" else J
        s2 = 1.0 - 2.0 * self.pi + self.pi @ self.pi
        self.alpha = self.pi * (reward - b) ** 2 / K
        self.beta = -1.0 / K
        self.y = second_axis(self.pi, self.alpha, self.beta, self.grad, self.x)
        # Exact trace of the covariance with a constant baseline b (the check for "none").
        self.exact_trace = (self.pi * (reward - b) ** 2 * s2).sum() / K - (self.grad @ self.grad) / K
        self.exact_mean_norm = math.sqrt(self.grad @ self.grad)


def advantages(rewards, baseline, K):
    """Per-sample advantages of an (M, K) reward array, batch by batch."""
    if baseline == "none":
        return rewards
    total = rewards.sum(axis=1, keepdims=True)
    if baseline == "batch_mean":
        return rewards - total / K
    return rewards - (total - rewards) / (K - 1)  # rloo


def affine_advantage(baseline, K, totals):
    """(lam, bbar) such that every advantage of a batch is A_i = lam * (R_i - bbar), given the
    batch's reward total: the form advantages() has for each baseline, which lets the counts
    peers work from per-action sums. rloo: R_i - (T - R_i) / (K - 1) = K / (K - 1) (R_i - T / K).
    Arithmetic only, so it takes NumPy arrays and torch tensors alike."""
    if baseline == "none":
        return 1.0, 0.0 * totals
    return (1.0 if baseline == "batch_mean" else K / (K - 1)), totals / K


# Columns of count_weights(): C @ linear gives, per batch, these sums over actions of c_a * w_a.
LIN_R, LIN_X, LIN_RX, LIN_Y, LIN_RY, LIN_PI, LIN_RPI = range(7)
# and (C * C) @ square gives sum_a c_a^2 * w_a for these.
SQ_RR, SQ_R, SQ_1 = range(3)


def count_weights(setup, reward):
    """The (N, 7) and (N, 3) matrices that turn a batch's action counts into every sum the cloud
    needs. With fixed rewards an action's reward sum is S_a = c_a r_a, so all of them are linear
    in the counts c_a and their squares, and one matrix product per chunk of batches does it.
    (Rewards drawn per sample would make S_a a draw of its own, Normal(c_a mu_a, c_a sigma_a^2)
    or Binomial(c_a, p_a), and the products would then take S and S^2 beside the counts.)"""
    x, y, pi = setup.x, setup.y, setup.pi
    linear = np.stack([reward, x, reward * x, y, reward * y, pi, reward * pi], axis=1)
    square = np.stack([reward * reward, reward, np.ones_like(reward)], axis=1)
    return linear, square


def counts_terms(lin, sq, baseline, K, setup):
    """Per-batch cloud terms from the count products of count_weights(), each batch's estimate
    being g = v - mean_adv pi with v_a = lam (S_a - c_a bbar) / K. Returns gx, gy, the squared
    norm |g|^2 = |v|^2 - 2 mean_adv v.pi + mean_adv^2 |pi|^2 (not clamped at 0) and mean_adv,
    and (scale, shift): v summed over batches is reward * (scale @ C) - (shift @ C).
    Arithmetic only, so it takes NumPy arrays and torch tensors alike."""
    total = lin[:, LIN_R]
    lam, bbar = affine_advantage(baseline, K, total)
    scale = lam / K + 0.0 * total  # per batch, whether lam is a number or per batch
    vx = scale * (lin[:, LIN_RX] - bbar * lin[:, LIN_X])
    vy = scale * (lin[:, LIN_RY] - bbar * lin[:, LIN_Y])
    v_pi = scale * (lin[:, LIN_RPI] - bbar * lin[:, LIN_PI])
    v_v = scale * scale * (sq[:, SQ_RR] - 2.0 * bbar * sq[:, SQ_R] + bbar * bbar * sq[:, SQ_1])
    mean_adv = lam * (total / K - bbar)
    pi_x, pi_y, pi_pi = (float(setup.pi @ v) for v in (setup.x, setup.y, setup.pi))
    return {"gx": vx - mean_adv * pi_x, "gy": vy - mean_adv * pi_y,
            "norm2": v_v - 2.0 * mean_adv * v_pi + mean_adv * mean_adv * pi_pi,
            "mean_adv": mean_adv, "scale": scale, "shift": scale * bbar}


def summarize(mean_estimate, gx, norm2):
    """The engine's reductions from per-batch projections and squared norms."""
    M = gx.size
    mean_norm2 = float(mean_estimate @ mean_estimate)
    trace_cov = max(0.0, (float(norm2.sum()) - M * mean_norm2) / (M - 1))
    snr = 0.0 if not mean_norm2 > 0 else (math.inf if not trace_cov > 0 else
                                          math.sqrt(mean_norm2 / trace_cov))
    positive = norm2 > 0
    cosine = float((gx[positive] / np.sqrt(norm2[positive])).sum()) / M
    return {"snr": snr, "trace_cov": trace_cov, "uphill_share": float((gx > 0).mean()),
            "mean_x": float(gx.mean()), "mean_cosine": cosine}


def bulk_range(v, *must_include):
    # The engine's histogram range: the bulk (mean +- 4 sd, within min..max) plus fixed points.
    mean, sd = v.mean(), v.std()
    lo = min(max(v.min(), mean - 4 * sd), *must_include)
    hi = max(min(v.max(), mean + 4 * sd), *must_include)
    if not hi > lo:
        pad = max(1e-12, abs(lo) * 1e-6)
        lo, hi = lo - pad, hi + pad
    return lo, hi


def histogram(gx, gy, bins, grad_norm):
    """The engine's bins x bins histogram of the cloud's (gx, gy) projections, as flat counts."""
    rx, ry = bulk_range(gx, 0.0, grad_norm), bulk_range(gy, 0.0)
    ix = np.clip(((gx - rx[0]) * (bins / (rx[1] - rx[0]))).astype(np.int64), 0, bins - 1)
    iy = np.clip(((gy - ry[0]) * (bins / (ry[1] - ry[0]))).astype(np.int64), 0, bins - 1)
    return np.bincount(iy * bins + ix, minlength=bins * bins)


def measure(run_cloud, seconds, synchronize=lambda: None):
    """Clouds per second after one warm-up cloud, like reinforce-lab-bench's loop."""
    run_cloud(0)
    synchronize()
    start = time.perf_counter()
    clouds = 0
    while True:
        stats = run_cloud(clouds + 1)
        synchronize()
        clouds += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return clouds, elapsed, stats


def report(name, args, clouds, elapsed, stats, setup):
    samples = clouds * args.M * args.K
    print(f"{clouds} clouds in {elapsed:.3f} s ({1e3 * elapsed / clouds:.3f} ms per cloud)",
          file=sys.stderr)
    print(f"{name}: snr={stats['snr']:.6g} trace_cov={stats['trace_cov']:.6g} "
          f"uphill_share={stats['uphill_share']:.6g} mean_x={stats['mean_x']:.6g} "
          f"mean_cosine={stats['mean_cosine']:.6g} (exact trace_cov for a constant baseline "
          f"{setup.exact_trace:.6g}, |grad J| {setup.exact_mean_norm:.6g})", file=sys.stderr)
    # The same last line as reinforce-lab-bench, so one parser reads all three.
    print(f"{name} N={args.N} K={args.K} M={args.M} {samples / elapsed:.4g} samples/s")


def run_numpy_peer(name, description, cloud):
    """A NumPy peer's main: the problem, a fresh generator per step, the timed clouds and the
    report, the same for every NumPy peer so only `cloud(rng, logits, reward, K, M, baseline)`
    differs."""
    import numpy as np

    args = parse_args(description)
    logits, reward = bench_problem(args.N)
    last = {}

    def run_cloud(step):
        rng = np.random.default_rng([args.seed, step])
        last["stats"], last["setup"] = cloud(rng, logits, reward, args.K, args.M, args.baseline)
        return last["stats"]

    clouds, elapsed, stats = measure(run_cloud, args.seconds)
    report(name, args, clouds, elapsed, stats, last["setup"])

