# SPDX-License-Identifier: Apache-2.0
# Shared by tests/run/run_test.sh and tests/rust/rust_test.sh (sourced): a scratch
# directory removed at exit, fail (message, exit 1), ok (counts a group of checks),
# last (the last line of a command's output: femto run's r0).
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
n=0
ok() { n=$((n + 1)); }
last() { tail -n1 <<<"$1"; }
