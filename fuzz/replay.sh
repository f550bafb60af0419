#!/bin/sh
# usage: replay.sh FUZZ_BINARY TARGET FUZZ_SOURCE_DIR SEEDS_DIR
# Replays every input kept in fuzz/regressions/TARGET (each must pass), then
# runs the target for a fixed number of executions from the seed corpus with
# a fixed seed: the same run every time.  New inputs go to a scratch
# directory, never into the repository.
set -eu
bin=$1 target=$2 src=$3 seeds=$4
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
regressions=$src/regressions/$target
set --
if [ -d "$regressions" ] && [ -n "$(ls -A "$regressions")" ]; then
    set -- "$regressions"/*
    echo "replaying $# inputs of $regressions"
    "$bin" -error_exitcode=1 -timeout_exitcode=1 -rss_limit_mb=2048 -timeout=60 "$@"
fi
echo "fuzzing $target: ${FUZZ_RUNS:-2000} runs, seed 1"
"$bin" -error_exitcode=1 -timeout_exitcode=1 -runs="${FUZZ_RUNS:-2000}" -seed=1 -max_len=16384 -timeout=60 \
    -rss_limit_mb=2048 -dict="$seeds/gwc.dict" -print_final_stats=1 \
    "$scratch" "$seeds/$target"
