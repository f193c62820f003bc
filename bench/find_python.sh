# Sourced by the benchmark scripts: sets $python to an interpreter that has NumPy, or to "" when
# none does. Debian's /usr/bin/python3 comes first because scripts/install-bench-deps.sh installs
# python3-numpy there, and a pyenv or venv python3 earlier on PATH may lack it. PYTHON, when set,
# is the only candidate.
python=""
# shellcheck disable=SC2206  # PYTHON is one path; the default is two words on purpose
candidates=(${PYTHON:-/usr/bin/python3 python3})
for candidate in "${candidates[@]}"; do
    if "$candidate" -c 'import numpy' 2>/dev/null; then
        python=$candidate
        break
    fi
done
