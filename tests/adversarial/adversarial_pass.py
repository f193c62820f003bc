#!/usr/bin/env python3
"""An adversarial pass over the real program, as a hostile or careless user would make one.

Not part of CTest (it takes minutes); docs/RELIABILITY.md records its figures. Usage:

    tests/adversarial/adversarial_pass.py BUILD/reinforce-lab [--cases N] [--seed S]

Each case runs the program headless and judges the outcome:
  crash      killed by a signal, or an uncaught exception's text
  hang       still running after the time limit
  multiline  refused with more or less than one line on stderr, or a line over 600 bytes
  silent     accepted although the input is ambiguous or asks for what the run cannot do
  ok         everything else
Prints one line per category and family, and every case that is not ok (cut to 200 bytes).
"""

import json
import os
import random
import signal
import subprocess
import sys
import tempfile

LIMIT_S = 20
SMALL = ["--set", "steps=2", "--set", "runs=2", "--set", "M=16", "--engine", "cpu",
         "--threads", "1"]


def run(exe, args, cwd):
    try:
        p = subprocess.run([exe] + args, cwd=cwd, capture_output=True, timeout=LIMIT_S)
    except subprocess.TimeoutExpired:
        return "hang", ""
    err = p.stderr.decode("utf-8", "replace")
    if p.returncode < 0 or "terminate called" in err or "bad_alloc" in err:
        return "crash", f"signal {-p.returncode}" if p.returncode < 0 else err
    if p.returncode != 0:
        lines = err.splitlines()
        if len(lines) != 1 or len(lines[0]) > 600:
            return "multiline", f"{len(lines)} lines, {len(err)} bytes"
        return "refused", lines[0]
    return "accepted", ""


def preset_documents(assets):
    docs = {}
    folder = os.path.join(assets, "presets")
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            docs[name[:-5]] = f.read()
    return docs


def deep(levels, follow):
    return '{"version":2,"title":' + "[" * levels + "]" * levels + (',"K":1}' if follow else "}")


def mutate(text, rng):
    """One random mutation of a session file's text."""
    kind = rng.randrange(9)
    b = bytearray(text.encode("utf-8"))
    if kind == 0 and b:
        for _ in range(rng.randint(1, 8)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        return bytes(b)
    if kind == 1 and b:
        i = rng.randrange(len(b))
        del b[i:i + rng.randint(1, 40)]
        return bytes(b)
    if kind == 2:
        i = rng.randrange(len(b) + 1)
        n = rng.choice([100, 10_000, 100_000, 400_000])
        return bytes(b[:i]) + b"[" * n + b"]" * n + bytes(b[i:])
    if kind == 3:
        return (text[:-2] + ',"title":"' + "x" * rng.choice([10, 2_000_000, 20_000_000]) +
                '"}').encode()
    if kind == 4:
        return (text[:-2] + ',"K":' + rng.choice(["1e400", "-0", "1e3", "4.5", "null", "[]",
                                                   "true", '"4"', "99999999999999999999"]) +
                "}").encode()
    if kind == 5:
        return (text.replace('"K"', '"K": 3, "K"', 1)).encode()
    if kind == 6:
        return text.replace('"name": "', '"name": "\\u0000\n', 1).encode()
    if kind == 7:
        return text.replace('"version": 1', '"version": ' + rng.choice(["0", "3", "2.5", "1e9"]),
                            1).encode()
    return (text + rng.choice(["x", "{}", "\x00", " " * 1000])).encode()


def session_cases(exe, docs, n, rng, tmp):
    fixed = [("deep-10k-then-key", deep(10_000, True).encode()),
             ("deep-100k-then-key", deep(100_000, True).encode()),
             ("deep-1M-then-key", deep(1_000_000, True).encode()),
             ("deep-100k-last", deep(100_000, False).encode()),
             ("duplicate-K", b'{"version":2,"K":4,"K":5}'),
             ("string-20MB", b'{"version":2,"title":"' + b"x" * 20_000_000 + b'"}')]
    names = list(docs)
    for i in range(n):
        fixed.append((f"mutated-{i}", mutate(docs[names[i % len(names)]], rng)))
    for name, data in fixed:
        path = os.path.join(tmp, "case.json")
        with open(path, "wb") as f:
            f.write(data)
        outcome, detail = run(exe, ["--headless", "--session", path, "--out",
                                    os.path.join(tmp, "out")] + SMALL, tmp)
        # A duplicate key accepted is a silent acceptance: which value wins is a guess.
        if outcome == "accepted" and name == "duplicate-K":
            outcome = "silent"
        yield "session file", name, outcome, detail


AMBIGUOUS_SETS = ["action.0.mean=5", "action.1.logit=+-1", "action.1e0.value=1",
                  "action.+0.value=1", "action. 0.value=1", "action.2.name=yes", "lr=+-0.1",
                  "K=++4", "action.0.p=0.5", "action.-0.value=1"]
ACCEPTED_SETS = ["seed=1e3", "seed=+7", "K=1e1", "steps=+5", "action.0.value=+2"]
WINDOW_ONLY = [["--frames", "5"], ["--presenter"], ["--size", "800x600"], ["--lesson-step", "2"],
               ["--frames", "3", "--screenshot", "a.png"],
               ["--frames", "3", "--save-session", "s.json"], ["--frames", "3", "--export", "e"]]


def set_cases(exe, n, rng, tmp):
    out = ["--headless", "--preset", "yes-no-maybe", "--out", os.path.join(tmp, "out")] + SMALL
    for value in AMBIGUOUS_SETS:
        outcome, detail = run(exe, out + ["--set", value], tmp)
        yield "--set", value, "silent" if outcome == "accepted" else outcome, detail
    for value in ACCEPTED_SETS:
        outcome, detail = run(exe, out + ["--set", value], tmp)
        yield "--set", value, "refused-valid" if outcome == "refused" else outcome, detail
    keys = ["K", "lr", "seed", "runs", "steps", "M", "baseline", "init_probs", "action.0.value",
            "action.yes.logit", "clip", "kl_beta", "title"]
    junk = ["", "-", "+", "1e999", "nan", "0x10", "1,,2", "\n", "9" * 400, "\u00e9", "1e-400",
            " 1", "1 ", "4096", "65537", "-1", "1.5"]
    for i in range(n):
        value = rng.choice(junk) + rng.choice(["", rng.choice(junk)])
        outcome, detail = run(exe, out + ["--set", f"{rng.choice(keys)}={value}"], tmp)
        yield "--set", f"random-{i}", outcome, detail
    for extra in WINDOW_ONLY:
        outcome, detail = run(exe, out + extra, tmp)
        yield "--headless + window option", " ".join(extra), (
            "silent" if outcome == "accepted" else outcome), detail


def start_display():
    """A private Xvfb for the window's scripted runs; None when there is none to start."""
    for n in range(140, 160):
        if os.path.exists(f"/tmp/.X11-unix/X{n}"):
            continue
        try:
            p = subprocess.Popen(["Xvfb", f":{n}", "-screen", "0", "1024x768x24"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except FileNotFoundError:
            return None, None
        for _ in range(50):
            if os.path.exists(f"/tmp/.X11-unix/X{n}"):
                return p, f":{n}"
            subprocess.run(["sleep", "0.1"])
        p.kill()
    return None, None


def target_cases(exe, tmp):
    """Output targets that are not ours to replace: a FIFO, a folder, a symlink."""
    fifo = os.path.join(tmp, "fifo")
    os.mkfifo(fifo)
    real = os.path.join(tmp, "real.json")
    with open(real, "w") as f:
        f.write("{}")
    link = os.path.join(tmp, "link.json")
    os.symlink(real, link)
    folder = os.path.join(tmp, "a-folder")
    os.makedirs(folder)
    xvfb, display = start_display()
    try:
        if display:
            os.environ["DISPLAY"] = display
            window = ["--frames", "2", "--size", "640x480", "--engine", "cpu"]
            for name, target in [("fifo", fifo), ("folder", folder)]:
                outcome, detail = run(exe, window + ["--save-session", target], tmp)
                kept = (os.path.isdir(target) if name == "folder"
                        else os.path.exists(target) and not os.path.isfile(target))
                yield "output target", "--save-session onto a " + name, (
                    outcome if kept else "silent"), detail
            outcome, detail = run(exe, window + ["--save-session", link], tmp)
            linked = os.path.islink(link) and os.path.getsize(real) > 2
            yield "output target", "--save-session through a symlink", (
                outcome if linked else "silent"), detail
    finally:
        if xvfb:
            xvfb.kill()
    out = os.path.join(tmp, "out-special")
    os.makedirs(out)
    os.mkfifo(os.path.join(out, "summary.csv"))
    outcome, detail = run(exe, ["--headless", "--out", out] + SMALL, tmp)
    kept = not os.path.isfile(os.path.join(out, "summary.csv"))
    yield "output target", "--out holding a FIFO named summary.csv", (
        outcome if kept else "silent"), detail
    outcome, detail = run(exe, ["--headless", "--out", real] + SMALL, tmp)
    yield "output target", "--out naming a file", outcome, detail


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    exe = os.path.abspath(sys.argv[1])
    n = int(sys.argv[sys.argv.index("--cases") + 1]) if "--cases" in sys.argv else 500
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 1
    rng = random.Random(seed)
    assets = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "assets")
    docs = preset_documents(assets)
    tally, bad = {}, []
    with tempfile.TemporaryDirectory(prefix="rl-adversarial-") as tmp:
        families = [session_cases(exe, docs, n, rng, tmp), set_cases(exe, n, rng, tmp),
                    target_cases(exe, tmp)]
        for family in families:
            for group, name, outcome, detail in family:
                verdict = "ok" if outcome in ("accepted", "refused", "ok") else outcome
                tally[(group, verdict)] = tally.get((group, verdict), 0) + 1
                if verdict != "ok":
                    bad.append(f"{verdict}: {group}: {name}: {detail}"[:200])
    for (group, verdict), count in sorted(tally.items()):
        print(f"{group:28} {verdict:14} {count}")
    for line in bad:
        print(line)
    return 1 if bad else 0


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    sys.exit(main())
