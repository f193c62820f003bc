#!/usr/bin/env bash
# Builds the project and its tests with ThreadSanitizer into build-tsan/ (CPU-only, like the
# ASan suite) and runs the tests of everything that shares state between threads: the runners
# and their published results, the control layer and compare mode, session files loaded into a
# running session. Any data race, lock-order inversion or unlock of an unlocked mutex
# fails the run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib/sanitizer-reports.sh
source "$root/scripts/lib/sanitizer-reports.sh"
build_dir="${TSAN_BUILD_DIR:-$root/build-tsan}"
"$root/scripts/install-deps.sh" --test

cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRL_WITH_CUDA=OFF \
    -DRL_SANITIZE=thread
cmake --build "$build_dir" --parallel "$(nproc)" --target rl-tests

reports="$build_dir/tsan-reports"
rm -rf "$reports"
mkdir -p "$reports"
# halt_on_error: the first report fails its test, so CTest names the test that raced.
# tsan.supp names only Mesa's software renderer, whose own threads race as ThreadSanitizer sees
# them (the file says why).
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:history_size=4:log_path=$reports/tsan:suppressions=$root/scripts/sanitizers/tsan.supp"
# ThreadSanitizer makes the engine's threads several times slower; the tests' hang limits scale.
export RL_TEST_TIME_SCALE=10
# The soak is left out: under ThreadSanitizer its three cycles over every preset (vocab-50k
# among them) take longer than the rest together; the Release soak runs in CI on its own.
tests='^(Live|live|control:|compare:|session|settings|fallback|gui driven)'

cd "$build_dir"
status=0
ctest --output-on-failure --timeout 1200 -j "$(nproc)" -R "$tests" || status=$?
count=$(ctest -N -R "$tests" | grep -c "Test *#" || true)
echo "test-threads: $count tests under ThreadSanitizer"
print_reports test-threads "$reports" || status=1
exit "$status"
