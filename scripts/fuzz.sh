#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs a libFuzzer campaign on one target and merges what it finds into the
# committed corpus (which ctest replays under the sanitizers).
# usage: scripts/fuzz.sh TARGET [SECONDS]     e.g. scripts/fuzz.sh vm 300
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?target name (vm, image, ...)}; secs=${2:-120}
bash scripts/setup.sh
cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DFC_FUZZ=ON -DFC_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build-fuzz -j2 --target "${target}_fuzzer"
work=$(mktemp -d)
./build-fuzz/bin/"${target}_fuzzer" -max_total_time="$secs" -max_len=4096 "$work" "tests/fuzz/corpus/$target"
./build-fuzz/bin/"${target}_fuzzer" -merge=1 "tests/fuzz/corpus/$target" "$work"
rm -rf "$work"
