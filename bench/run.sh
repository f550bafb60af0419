#!/bin/sh
# Times `gwc check` and `gwc compile` on N generated HTTPRoutes against a
# libyaml parse-only baseline built from the same tree, and nginx -t on the
# result; prints the best of R runs of each and the ratios.
#
# usage: bench/run.sh [N] [RUNS] [--one-host]   (default N=10000, RUNS=7;
#        --one-host: every route on one hostname, see gen_routes.py)
set -eu
cd "$(dirname "$0")/.."
n=${1:-10000}
runs=${2:-7}
hosts=${3:-}
[ -f build/build.ninja ] || meson setup build >/dev/null
meson compile -C build >/dev/null
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 bench/gen_routes.py "$n" $hosts > "$dir/routes.yaml"
size=$(wc -c < "$dir/routes.yaml")
python3 - "$dir/routes.yaml" "$n" "$size" "$runs" "$dir/out" <<'PY'
import os, subprocess, sys, time
path, n, size, runs, out = (sys.argv[1], int(sys.argv[2]), int(sys.argv[3]),
                            int(sys.argv[4]), sys.argv[5])
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
compile_ = best(["build/gwc", "compile", "--fail-on=never", "--listen-address", "127.0.0.1",
                 "--port-map", "80=18080", "-o", out, path])
conf = os.path.getsize(os.path.join(out, "http.conf"))
nginx = best(["/usr/sbin/nginx", "-t", "-q", "-p", out + "/", "-e", "stderr",
              "-c", os.path.join(out, "nginx.conf")])
print("N=%d routes, %.1f MB of YAML" % (n, size / 1e6))
print("libyaml parse only: %.3f s" % base)
print("gwc check:          %.3f s  (%.2fx parse only)" % (gwc, gwc / base))
print("gwc compile:        %.3f s  (%.2fx parse only), http.conf %.1f MB"
      % (compile_, compile_ / base, conf / 1e6))
print("nginx -t on it:     %.3f s" % nginx)
PY
