#!/bin/sh
# The whole test suite: builds gwc twice (plain, and with AddressSanitizer and
# UndefinedBehaviorSanitizer), runs every meson test suite in both builds,
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
meson compile -C build >/dev/null
meson compile -C build-asan >/dev/null

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1
meson test -C build --print-errorlogs "$@" || true
meson test -C build-asan --print-errorlogs "$@" || true
exec python3 tests/summary.py build/meson-logs/testlog.json build-asan/meson-logs/testlog.json
