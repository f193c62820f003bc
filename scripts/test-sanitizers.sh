#!/usr/bin/env bash
# Builds the whole project and its tests with AddressSanitizer and UndefinedBehaviorSanitizer into
# build-sanitize/ (CPU-only, see RL_SANITIZE in CMakeLists.txt) and runs every CTest test there.
# Any sanitizer report, in the test program or in an app it starts, fails the run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib/sanitizer-reports.sh
source "$root/scripts/lib/sanitizer-reports.sh"
build_dir="${SANITIZE_BUILD_DIR:-$root/build-sanitize}"
"$root/scripts/install-deps.sh" --test

# RelWithDebInfo (-O2 -g): the statistical tests draw millions of samples, which -O0 under ASan
# would make too slow for CI; -g and the kept frame pointers still give reports file and line.
cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRL_WITH_CUDA=OFF \
    -DRL_SANITIZE=address,undefined
cmake --build "$build_dir" --parallel "$(nproc)"

# Reports go to files, one per process, so one from an app a test starts with its output thrown
# away (the GUI tests under xvfb-run) is still seen; the environment reaches that app too.
reports="$build_dir/sanitizer-reports"
rm -rf "$reports"
mkdir -p "$reports"
asan=(halt_on_error=1 detect_leaks=1 print_stacktrace=1 detect_stack_use_after_return=1
      check_initialization_order=1 strict_init_order=1 "log_path=$reports/asan")
ASAN_OPTIONS=$(IFS=:; echo "${asan[*]}")
export ASAN_OPTIONS
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$reports/ubsan"
# The heaviest engine test runs about 10 times slower here than in the Release build, so the
# tests' hang limits (tests/support/time_scale.hpp) are scaled by that. CTest's per-test limit is
# twice test.sh's: the two slowest tests took 335 s and 289 s here on a shared machine.
export RL_TEST_TIME_SCALE=10
# The GUI tests start the app through xvfb-run; see scripts/sanitizers/xvfb-run for why it differs.
export PATH="$root/scripts/sanitizers:$PATH"

cd "$build_dir"
status=0
ctest --output-on-failure --timeout 1200 -j "$(nproc)" || status=$?
print_reports test-sanitizers "$reports" || status=1
exit "$status"
