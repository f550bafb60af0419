#!/bin/sh
# The whole test suite: builds gwc twice (plain, and with AddressSanitizer and
# UndefinedBehaviorSanitizer), runs every meson test suite in both builds,
# runs the fuzz targets' regression replay and short runs (build-fuzz, clang),
# and ends with one line "N passed, M failed".
set -eu
cd "$(dirname "$0")/.."

[ -f build/build.ninja ] || meson setup build >/dev/null
# In the sanitizer build every arena object is its own malloc (arena_debug),
# so a read past the end of one object is caught, not hidden by its neighbour.
[ -f build-asan/build.ninja ] || meson setup build-asan -Dbuildtype=debug \
    -Db_sanitize=address,undefined -Dc_args=-fno-sanitize-recover=all \
    -Darena_debug=true >/dev/null
meson configure build-asan -Darena_debug=true >/dev/null
# The libFuzzer targets (clang): replay fuzz/regressions, then a short
# fixed run of each target (fuzz/replay.sh).
[ -f build-fuzz/build.ninja ] || CC=clang meson setup build-fuzz -Dfuzz=true \
    -Darena_debug=true -Db_sanitize=address,undefined \
    -Dc_args=-fno-sanitize-recover=all -Db_lundef=false >/dev/null
meson compile -C build >/dev/null
meson compile -C build-asan >/dev/null
meson compile -C build-fuzz >/dev/null

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1
# A build none of whose tests match "$@" writes no log: count only fresh ones.
logs=
for b in build build-asan build-fuzz; do
    rm -f $b/meson-logs/testlog.json
    meson test -C $b --print-errorlogs "$@" || true
    [ ! -f $b/meson-logs/testlog.json ] || logs="$logs $b/meson-logs/testlog.json"
done
exec python3 tests/summary.py $logs
