#!/usr/bin/env python3
"""Runs reinforce-lab-bench and numpy_peer.py on the same problem and checks that their cloud
statistics agree with each other and with the exact values within Monte Carlo error.
Usage: check_agreement.py <path to reinforce-lab-bench>"""

import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
STAT = re.compile(r"^(\S+): snr=(\S+) trace_cov=(\S+) uphill_share=(\S+) mean_x=(\S+)", re.M)


def statistics(command):
    out = subprocess.run(command, check=True, capture_output=True, text=True)
    match = STAT.search(out.stderr)
    if not match:
        sys.exit(f"no statistics line from {command[0]}:\n{out.stderr}")
    stats = dict(zip(("snr", "trace_cov", "uphill_share", "mean_x"), map(float, match.groups()[1:])))
    # Only the engine prints the exact values; they are the reference both are checked against.
    exact = re.search(r"exact snr (\S+), trace_cov (\S+)\)", out.stderr)
    if exact:
        stats["exact_snr"], stats["exact_trace"] = float(exact.group(1)), float(exact.group(2))
    return stats


def main():
    bench = sys.argv[1]
    failures = 0
    # M = 16,384 batches: the sample trace of the covariance has a relative standard error of a
    # few per cent on this problem (heavy-tailed rewards at large N), so 12% is about 5 sigma.
    for n in (3, 1000):
        size = ["--N", str(n), "--K", "64", "--M", "16384", "--seconds", "0.01"]
        cpu = statistics([bench, "--engine", "cpu", *size])
        peer = statistics([sys.executable, os.path.join(HERE, "numpy_peer.py"), *size])
        exact_snr, exact_trace = cpu.pop("exact_snr"), cpu.pop("exact_trace")
        print(f"N={n}: cpu {cpu}\n       numpy {peer}\n       exact snr={exact_snr:.6g} "
              f"trace_cov={exact_trace:.6g}")
        checks = [
            ("trace_cov cpu vs numpy", cpu["trace_cov"], peer["trace_cov"], 0.12),
            ("snr cpu vs numpy", cpu["snr"], peer["snr"], 0.08),
            ("trace_cov numpy vs exact", peer["trace_cov"], exact_trace, 0.08),
            ("snr numpy vs exact", peer["snr"], exact_snr, 0.05),
            ("mean_x cpu vs numpy", cpu["mean_x"], peer["mean_x"], 0.03),
        ]
        for name, a, b, tol in checks:
            rel = abs(a - b) / abs(b)
            if not rel <= tol:
                print(f"FAILED N={n} {name}: {a:.6g} vs {b:.6g} ({rel:.1%} > {tol:.0%})")
                failures += 1
        if abs(cpu["uphill_share"] - peer["uphill_share"]) > 0.02:
            print(f"FAILED N={n} uphill share: {cpu['uphill_share']} vs {peer['uphill_share']}")
            failures += 1
    print("agreement: " + ("FAILED" if failures else "ok"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
