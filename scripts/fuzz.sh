#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan+UBSan) into build-fuzz/ and runs each for SECONDS
# (default 60), starting from a working corpus seeded with assets/presets/*.json (the session
# reader) and fuzz/corpus/set/ (--set lines). Exits non-zero when a target finds a crash or a
# failed check; the input is saved under build-fuzz/artifacts/<target>/ (minimise it with
# -minimize_crash=1 and add it to tests/fuzz-regressions/<target>/). One job per target: the
# machine's cores are shared. FUZZ_RUNS=N runs N inputs per target instead of a time.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds="${1:-60}"
build_dir="${FUZZ_BUILD_DIR:-$root/build-fuzz}"

"$root/scripts/install-deps.sh"
# shellcheck source=scripts/lib/apt-install-missing.sh
source "$root/scripts/lib/apt-install-missing.sh"
install_missing fuzz clang libclang-rt-14-dev

CC=clang CXX=clang++ cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DRL_BUILD_FUZZERS=ON
cmake --build "$build_dir" --parallel "$(nproc)"

# The working corpus lives in the build folder: it grows with every run and is never committed.
mkdir -p "$build_dir/corpus/document" "$build_dir/corpus/set"
cp "$root"/assets/presets/*.json "$build_dir/corpus/document/"
# The episode presets seed the token, table and per-position fields.
for f in "$root"/assets/presets/episodes/*.json; do
    cp "$f" "$build_dir/corpus/document/episode-$(basename "$f")"
done
# A 50 000-action vocabulary takes seconds per input under the sanitizers; its seed starts small
# and the fuzzer still reaches every size.
sed -i 's/"N": 50000/"N": 500/' "$build_dir/corpus/document/vocab-50k.json"
cp "$root"/fuzz/corpus/set/* "$build_dir/corpus/set/"

limit=(-max_total_time="$seconds")
if [[ -n "${FUZZ_RUNS:-}" ]]; then limit=(-runs="$FUZZ_RUNS"); fi

status=0
for target in document set; do
    mkdir -p "$build_dir/artifacts/$target"
    log="$build_dir/fuzz-$target.log"
    echo "fuzz: $target (${limit[*]})"
    if (cd "$build_dir" && "./fuzz/$target-fuzzer" "${limit[@]}" -dict="$root/fuzz/$target.dict" \
        -artifact_prefix="artifacts/$target/" -print_final_stats=1 "corpus/$target") >"$log" 2>&1; then
        echo "fuzz: $target: no crash"
    else
        echo "fuzz: $target: FAILED; the input is in $build_dir/artifacts/$target/" >&2
        grep -a -m1 -E "fuzz check failed|ERROR: |what\(\)" "$log" >&2 || tail -n 20 "$log" >&2
        status=1
    fi
    grep -a -E "^stat::(number_of_executed_units|average_exec_per_sec)" "$log" |
        sed "s/^/fuzz: $target: /"
    grep -a -E "^#[0-9]+[[:space:]]+DONE" "$log" | tail -n 1 | sed "s/^/fuzz: $target: /" || true
done
exit "$status"
