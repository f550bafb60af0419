#!/bin/sh
# Builds gwc and prints the benchmark table for each N (default 1000 10000):
# realistic repositories (bench/gen_repo.py), gwc check and compile against a
# libyaml parse-only floor, nginx -t on gwc's output and on the hand-written
# equivalent (bench/handwritten.py).  See bench/bench.py for the options.
#
# usage: bench/run.sh [--runs R] [--keep DIR] [--nginx-max M] [--cpu] [N...]
set -eu
cd "$(dirname "$0")/.."
[ -f build/build.ninja ] || meson setup build >/dev/null
meson compile -C build >/dev/null
case "$*" in
*[0-9]*) exec python3 bench/bench.py "$@" ;;
*) exec python3 bench/bench.py "$@" 1000 10000 ;;
esac
