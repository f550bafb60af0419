#!/bin/sh
# Times `gwc check` on N generated HTTPRoutes against a libyaml parse-only
# baseline built from the same tree; prints the best of R runs of each and
# their ratio.
#
# usage: bench/run.sh [N] [RUNS]      (default N=10000, RUNS=7)
set -eu
cd "$(dirname "$0")/.."
n=${1:-10000}
runs=${2:-7}
[ -f build/build.ninja ] || meson setup build >/dev/null
meson compile -C build >/dev/null
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 bench/gen_routes.py "$n" > "$dir/routes.yaml"
size=$(wc -c < "$dir/routes.yaml")
exec python3 - "$dir/routes.yaml" "$n" "$size" "$runs" <<'PY'
import subprocess, sys, time
path, n, size, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
def best(cmd):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        times.append(time.perf_counter() - t)
        if r.returncode not in (0, 1):
            sys.exit("%s failed: %s" % (cmd[0], r.stderr.decode()[-500:]))
    return min(times)
base = best(["build/bench/parse_only", path])
gwc = best(["build/gwc", "check", "--fail-on=never", path])
print("N=%d routes, %.1f MB" % (n, size / 1e6))
print("libyaml parse only: %.3f s" % base)
print("gwc check:          %.3f s" % gwc)
print("ratio:              %.2fx" % (gwc / base))
PY
