#!/usr/bin/env bash
# Measures the window's frame times: runs build/reinforce-lab under Xvfb (a screen as large as the
# window) for each preset and each window size, `--engine cpu --frames N` (scripted, lockstep: a
# frame waits for its engine tick), and prints a table row per (preset, size) from the app's
# report: the work per frame (median, p95), the time between frames (median, p95) and the frame
# rates it implies, the engine's tick (median, p95) and the share of frames whose work fitted the
# 16.7 ms of 60 Hz. A run that fails prints its row as failed with its last line of stderr, and
# the sweep goes on.
#
# Usage: bench/frame_bench.sh [--frames N] [--sizes "1280x720 1600x900 1920x1080"]
#                             [--presets "NAME[:KEY=VALUE...] ..."] [--rounds R]
#                             [--set KEY=VALUE]... [--timeout S] [--free-running]
# --presets: default every assets/presets/*.json and assets/presets/episodes/*.json (the file's
#   base name), then the default lesson at K = 4096 ("yes-no-maybe:K=4096": a case's
#   ":KEY=VALUE" parts are --set for that case only).
# --rounds R: the whole sweep R times, each round every case in turn, since a shared machine's
#   load moves between rounds more than between neighbouring runs.
# --set KEY=VALUE: passed to every run (repeatable).
# --timeout S: the most seconds one run may take (default 60 + N).
# --free-running: the app's own flag: the engine ticks beside the window as in a live session
#   (frames do not wait for it), so the rows are the frame times a class sees.
# Environment: APP (default build/reinforce-lab).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
app=${APP:-$root/build/reinforce-lab}
# The default lesson: CliOptions::preset in src/io/cli.hpp.
default_lesson=yes-no-maybe
frames=300
sizes="1280x720 1600x900 1920x1080"
presets=""
rounds=1
timeout_s=""
sets=()
free_running=()
while (($# > 0)); do
    case "$1" in
        --frames) frames=$2; shift 2 ;;
        --sizes) sizes=$2; shift 2 ;;
        --presets) presets=$2; shift 2 ;;
        --rounds) rounds=$2; shift 2 ;;
        --set) sets+=("$2"); shift 2 ;;
        --timeout) timeout_s=$2; shift 2 ;;
        --free-running) free_running=(--free-running); shift ;;
        *) echo "frame_bench: unknown argument $1" >&2; exit 2 ;;
    esac
done
for pair in "frames:$frames" "rounds:$rounds" "timeout:${timeout_s:-1}"; do
    if [[ ! ${pair#*:} =~ ^[1-9][0-9]*$ ]]; then
        echo "frame_bench: --${pair%%:*} ${pair#*:}: expected a whole number above 0" >&2
        exit 2
    fi
done
timeout_s=${timeout_s:-$((60 + frames))}

if [[ ! -x "$app" ]]; then
    echo "frame_bench: $app not found; build it with scripts/build.sh" >&2
    exit 2
fi

if [[ -z "$presets" ]]; then
    for f in "$root"/assets/presets/*.json "$root"/assets/presets/episodes/*.json; do
        [[ -e "$f" ]] && presets+="$(basename "$f" .json) "
    done
    presets+="$default_lesson:K=4096"
fi
read -r -a cases <<<"$presets"
read -r -a size_list <<<"$sizes"

work=$(mktemp -d "${TMPDIR:-/tmp}/frame_bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

# "yes-no-maybe:K=4096" reads "yes-no-maybe K=4096" in the table.
label_width=6
for c in "${cases[@]}"; do
    label=${c//:/ }
    ((${#label} > label_width)) && label_width=${#label}
done
row_format="%-${label_width}s %-9s %6s %8s %8s %8s %8s %7s %8s %8s %8s %7s\n"

# The two lines of report_run (src/app/shell/gui_main.cpp) the table is read from.
n='([^ ]+)'
frames_pattern="^frames ([0-9]+): work .* $n% within 16\\.7 ms; .*\\($n fps\\).*"
times_pattern="^frame times: work median $n ms, p95 $n ms; between frames median $n ms, p95 $n ms;"
times_pattern+=" engine tick median $n ms, p95 $n ms.*"

# Runs one case at one size; prints its row.
run_case() {
    local name=$1 size=$2
    local preset=${name%%:*} label=${name//:/ } args=() part
    if [[ "$name" == *:* ]]; then
        local extra
        IFS=: read -r -a extra <<<"${name#*:}"
        for part in "${extra[@]}"; do args+=(--set "$part"); done
    fi
    for part in "${sets[@]}"; do args+=(--set "$part"); done
    args+=("${free_running[@]}")
    local out=$work/out err=$work/err code_file=$work/code rc
    for _ in 1 2; do
        # A fresh HOME (and no XDG_CONFIG_HOME) each run: no remembered settings, layout or
        # "welcome back" session, and each run starts with the same cold caches.
        local home
        home=$(mktemp -d "$work/home.XXXXXX")
        rm -f "$code_file"
        rc=0
        # The app's own exit code goes to a file: xvfb-run's clean-up can fail after the app
        # ended well (tests/support/record_exit.sh).
        # shellcheck disable=SC2016  # expanded by the inner sh
        env -u XDG_CONFIG_HOME HOME="$home" \
            timeout -k 10 "$timeout_s" xvfb-run -a -s "-screen 0 ${size}x24" \
            sh -c 'f=$1; shift; "$@"; c=$?; echo "$c" >"$f"; exit "$c"' sh "$code_file" \
            "$app" --engine cpu --preset "$preset" --size "$size" --frames "$frames" \
            "${args[@]}" >"$out" 2>"$err" </dev/null || rc=$?
        rm -rf "$home"
        # xvfb-run -a can lose a race for a display number to another Xvfb starting at the
        # same moment; the app never ran, so one more try measures the same thing.
        if [[ -e "$code_file" || $rc == 124 || $rc == 137 ]]; then break; fi
    done

    local app_rc=""
    [[ -e "$code_file" ]] && app_rc=$(<"$code_file")
    local frames_line times
    frames_line=$(sed -nE "s/$frames_pattern/\\1 \\2 \\3/p" "$out" | head -n 1)
    times=$(sed -nE "s/$times_pattern/\\1 \\2 \\3 \\4 \\5 \\6/p" "$out" | head -n 1)
    if [[ "$app_rc" == 0 && -n "$frames_line" && -n "$times" ]]; then
        local count on_time fps_mean w50 w95 i50 i95 e50 e95 fps_median
        read -r count on_time fps_mean <<<"$frames_line"
        read -r w50 w95 i50 i95 e50 e95 <<<"$times"
        fps_median=$(awk -v m="$i50" 'BEGIN {
            if (m + 0 > 0) printf "%.1f", 1000 / m; else print "-" }')
        # shellcheck disable=SC2059  # the format is built above, once
        printf "$row_format" "$label" "$size" "$count" "$w50" "$w95" "$i50" "$i95" "$fps_median" \
            "$fps_mean" "$e50" "$e95" "$on_time%"
        return
    fi
    local why
    why=$(grep -v '^[[:space:]]*$' "$err" | tail -n 1 || true)
    if [[ $rc == 124 || $rc == 137 ]]; then
        why="timed out after ${timeout_s} s${why:+; $why}"
    elif [[ -z "$why" && "$app_rc" == 0 ]]; then
        why="no 'frames N: work' and 'frame times:' lines in its output"
    elif [[ -z "$why" ]]; then
        why="exit code ${app_rc:-$rc}"
    fi
    printf "%-${label_width}s %-9s failed: %s\n" "$label" "$size" "$why"
}

echo "machine: $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1), $(nproc) cores;" \
     "load average $(cut -d' ' -f1-3 /proc/loadavg)"
if commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null); then
    git -C "$root" diff-index --quiet HEAD -- 2>/dev/null || commit+=" with uncommitted changes"
    echo "commit: $commit"
fi
set_words=""
((${#sets[@]} > 0)) && set_words=$(printf ' --set %q' "${sets[@]}")
echo "app: $app --engine cpu --frames $frames${free_running[0]:+ --free-running}$set_words; Xvfb screen = window size"
echo "ms per frame: work (polling to swap, the engine's tick included), between (frame start to" \
     "frame start), tick (the engine's); fps-med = 1000 / median between, fps-mean = 1000 / mean" \
     "between; on-time: share of frames whose work was within 16.7 ms"
for ((round = 1; round <= rounds; round++)); do
    echo
    ((rounds > 1)) && echo "round $round of $rounds (load average $(cut -d' ' -f1-3 /proc/loadavg))"
    # shellcheck disable=SC2059
    printf "$row_format" preset size frames work-med work-p95 betw-med betw-p95 fps-med fps-mean \
        tick-med tick-p95 on-time
    for c in "${cases[@]}"; do
        for s in "${size_list[@]}"; do
            run_case "$c" "$s"
        done
    done
done
