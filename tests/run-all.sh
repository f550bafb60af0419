#!/bin/sh
# The whole test suite: builds gwc four times (plain, with AddressSanitizer
# and UndefinedBehaviorSanitizer, with clang, and the fuzz targets with
# clang), runs every meson test suite in the first two, the unit suite in the
# clang build and the fuzz targets' regression replay and short runs in
# build-fuzz, and ends with one line "N passed, M failed".
set -eu
cd "$(dirname "$0")/.."

[ -f build/build.ninja ] || meson setup build >/dev/null
# In the sanitizer build every arena object is its own malloc (arena_debug),
# so a read past the end of one object is caught, not hidden by its neighbour.
[ -f build-asan/build.ninja ] || meson setup build-asan -Dbuildtype=debug \
    -Db_sanitize=address,undefined -Dc_args=-fno-sanitize-recover=all \
    -Darena_debug=true >/dev/null
meson configure build-asan -Darena_debug=true >/dev/null
# gcc and clang warn differently; both must build with -Werror.
[ -f build-clang/build.ninja ] || CC=clang meson setup build-clang >/dev/null
# The libFuzzer targets (clang): replay fuzz/regressions, then a short
# fixed run of each target (fuzz/replay.sh).
[ -f build-fuzz/build.ninja ] || CC=clang meson setup build-fuzz -Dfuzz=true \
    -Darena_debug=true -Db_sanitize=address,undefined \
    -Dc_args=-fno-sanitize-recover=all -Db_lundef=false >/dev/null
meson compile -C build >/dev/null
meson compile -C build-asan >/dev/null
meson compile -C build-clang >/dev/null
meson compile -C build-fuzz >/dev/null

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1
# A build none of whose tests match "$@" writes no log: count only fresh ones.
logs=
for b in build build-asan build-clang build-fuzz; do
    # The clang build adds its compiler's warnings and the unit tests.
    suite=
    [ $b != build-clang ] || suite="--suite unit"
    rm -f $b/meson-logs/testlog.json
    meson test -C $b $suite --print-errorlogs "$@" || true
    [ ! -f $b/meson-logs/testlog.json ] || logs="$logs $b/meson-logs/testlog.json"
done
exec python3 tests/summary.py $logs
