# Sourced by the sanitizer scripts: print_reports NAME DIR prints every report file the sanitizer
# wrote into DIR (one per process, so an app a test started is seen too) and returns 1 when there
# was any, else 0.
print_reports() {
    local name=$1 dir=$2 report
    compgen -G "$dir/*" >/dev/null || return 0
    for report in "$dir"/*; do
        echo "=== $name report $report"
        cat "$report"
    done
    echo "$name: reports above" >&2
    return 1
}
