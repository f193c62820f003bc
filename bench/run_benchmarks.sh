#!/usr/bin/env bash
# Runs the gradient-cloud benchmark side by side at K = 64: on the CPU at M = 16,384, the CPU
# engine (1 thread and every thread) and every CPU peer that can run (numpy, per sample;
# numpy-counts, per-batch action counts; with torch, torch-cpu and torch-counts, the same two
# methods in PyTorch on the CPU); on the GPU at M x K = 2^26 when one is present, the CUDA engine
# and the PyTorch peer. Then prints a table with every rate, the fastest CPU peer at each N and
# the ratios the design targets (>= 10x each): cpu-all / fastest CPU peer, cuda / torch.
# Peers that cannot run (no NumPy, no torch, no GPU) are skipped with a line saying why.
#
# Usage: bench/run_benchmarks.sh [--seconds s] [--sizes "3 1000 50000"] [--no-torch-cpu]
# --no-torch-cpu skips the torch peers on the CPU (torch-cpu, torch-counts); --with-torch-cpu,
# which used to ask for torch-cpu, is still accepted and changes nothing: it runs by default.
# Environment: BENCH (default build/reinforce-lab-bench), PYTHON (default: a python3 that has
# NumPy, preferring Debian's /usr/bin/python3, where scripts/install-bench-deps.sh installs it).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bench=${BENCH:-$root/build/reinforce-lab-bench}
peers=$root/bench/peers
seconds=2
sizes="3 1000 50000"
torch_cpu=1
while (($# > 0)); do
    case "$1" in
        --seconds) seconds=$2; shift 2 ;;
        --sizes) sizes=$2; shift 2 ;;
        --no-torch-cpu) torch_cpu=0; shift ;;
        --with-torch-cpu) shift ;;  # the default now; kept for old callers
        *) echo "run_benchmarks: unknown argument $1" >&2; exit 2 ;;
    esac
done
K=64
cpu_M=16384
gpu_M=$(((1 << 26) / K))

if [[ ! -x "$bench" ]]; then
    echo "run_benchmarks: $bench not found; build it with" >&2
    echo "  cmake --build build --target reinforce-lab-bench" >&2
    exit 2
fi

# shellcheck source=bench/find_python.sh
source "$root/bench/find_python.sh"
have_numpy=0 have_torch=0
if [[ -n "$python" ]]; then
    have_numpy=1
    "$python" -c 'import torch' 2>/dev/null && have_torch=1
fi
have_gpu=0
gpu_why="no NVIDIA GPU on this machine (nvidia-smi finds none)"
if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; then
    have_gpu=1
fi

declare -A rate
# Runs one command, echoes its stderr summary lines, and keeps the rate from its last line.
measure() {
    local key=$1
    shift
    local out
    if ! out=$("$@" 2>&1); then
        echo "  $key failed:" >&2
        echo "$out" | tail -n 3 | sed 's/^/    /' >&2
        rate[$key]=""
        return
    fi
    echo "$out" | grep -E ': snr=|clouds in' | sed 's/^/  /'
    rate[$key]=$(echo "$out" | tail -n 1 | awk '$NF == "samples/s" { print $(NF - 1) }')
    echo "  $(echo "$out" | tail -n 1)"
}

echo "machine: $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1), $(nproc) cores;" \
     "load average $(cut -d' ' -f1-3 /proc/loadavg)"
for n in $sizes; do
    echo "N = $n"
    measure "cpu1/$n" "$bench" --engine cpu --N "$n" --K $K --M $cpu_M --threads 1 --seconds "$seconds"
    measure "cpu/$n" "$bench" --engine cpu --N "$n" --K $K --M $cpu_M --threads 0 --seconds "$seconds"
    if ((have_numpy)); then
        measure "numpy/$n" "$python" "$peers/numpy_peer.py" --N "$n" --K $K --M $cpu_M \
            --seconds "$seconds"
        measure "numpycounts/$n" "$python" "$peers/numpy_counts_peer.py" --N "$n" --K $K \
            --M $cpu_M --seconds "$seconds"
    else
        echo "  numpy and numpy-counts skipped: no python3 with NumPy" \
             "(scripts/install-bench-deps.sh installs it)"
    fi
    if ((!torch_cpu)); then
        echo "  torch-cpu and torch-counts skipped: --no-torch-cpu"
    elif ((have_torch)); then
        # An empty CUDA_VISIBLE_DEVICES keeps the torch peers on the CPU even beside a GPU.
        measure "torchcpu/$n" env CUDA_VISIBLE_DEVICES= "$python" "$peers/torch_peer.py" \
            --N "$n" --K $K --M $cpu_M --seconds "$seconds"
        measure "torchcounts/$n" env CUDA_VISIBLE_DEVICES= "$python" \
            "$peers/torch_counts_peer.py" --N "$n" --K $K --M $cpu_M --seconds "$seconds"
    else
        echo "  torch-cpu and torch-counts skipped: no python3 with torch" \
             "(scripts/install-bench-deps.sh --torch)"
    fi
    if ((have_gpu)); then
        measure "cuda/$n" "$bench" --engine cuda --N "$n" --K $K --M $gpu_M --seconds "$seconds"
        if ((have_torch)); then
            measure "torch/$n" "$python" "$peers/torch_peer.py" --N "$n" --K $K --M $gpu_M \
                --seconds "$seconds"
        else
            echo "  torch skipped: no python3 with torch (scripts/install-bench-deps.sh --torch)"
        fi
    else
        echo "  cuda and torch skipped: $gpu_why"
    fi
done

# Ratios: "-" where either side did not run.
ratio() {
    awk -v a="${1:-}" -v b="${2:-}" 'BEGIN {
        if (a == "" || b == "" || b + 0 == 0) print "-"; else printf "%.1fx\n", a / b }'
}
# The CPU peers, as keys of rate and as the table names them.
cpu_peers=(numpy numpycounts torchcpu torchcounts)
declare -A peer_name=([numpy]=numpy [numpycounts]=numpy-counts [torchcpu]=torch-cpu
                      [torchcounts]=torch-counts)
# The CPU peer with the highest rate at N = $1, or "-" where none ran.
fastest() {
    local best="-" best_rate="" key r
    for key in "${cpu_peers[@]}"; do
        r=${rate[$key/$1]:-}
        [[ -n "$r" ]] || continue
        if [[ -z "$best_rate" ]] || awk -v a="$r" -v b="$best_rate" 'BEGIN { exit !(a > b) }'; then
            best=$key best_rate=$r
        fi
    done
    echo "$best"
}

echo
row='%-7s %-10s %-10s %-10s %-12s %-10s %-12s %-12s %-11s %-10s %-10s %-10s\n'
# shellcheck disable=SC2059  # the format is the one above, shared by the header and the rows
printf "$row" N cpu-1t cpu-all numpy numpy-counts torch-cpu torch-counts fastest-peer \
    cpu/fastest cuda torch cuda/torch
for n in $sizes; do
    best=$(fastest "$n")
    # shellcheck disable=SC2059
    printf "$row" "$n" "${rate[cpu1/$n]:--}" "${rate[cpu/$n]:--}" "${rate[numpy/$n]:--}" \
        "${rate[numpycounts/$n]:--}" "${rate[torchcpu/$n]:--}" "${rate[torchcounts/$n]:--}" \
        "${peer_name[$best]:--}" "$(ratio "${rate[cpu/$n]:-}" "${rate[$best/$n]:-}")" \
        "${rate[cuda/$n]:--}" "${rate[torch/$n]:--}" \
        "$(ratio "${rate[cuda/$n]:-}" "${rate[torch/$n]:-}")"
done
echo "targets: cpu-all / fastest CPU peer >= 10x at each N; cuda/torch >= 10x; cuda >= 1e11" \
     "samples/s at N = 3 and >= 5e10 at N = 50,000 (H100)"
