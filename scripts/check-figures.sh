#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Docs that measure themselves (docs/packaging.md, "Figures"): every figure
# docs/ and README quote from a measurement must equal what the measuring
# scripts wrote last, so a stale figure fails the test command.
#   - scripts/check-figures.py: the claims of scripts/figures.claims against
#     build-cross/figures.txt (scripts/cross-build.sh), build-ports/figures.txt
#     (scripts/qemu-tests.sh), bench/results.md (bench/run.sh) and counts of
#     the tree; also every fc_ function a header comment or doc names must exist;
#   - the tables of docs/embedded.md against what ports/common/figures.py
#     renders from build-ports/figures.txt (its date line aside).
# Runs after the cross-build and QEMU stages; runs cross-build.sh itself when
# its figures are missing. `--write` rewrites stale figures in place instead.
# Exits non-zero on a stale or missing figure.
set -uo pipefail
cd "$(dirname "$0")/.."
write=""; [ "${1:-}" = --write ] && write=--write
fail=0
cross=${FC_CROSS_FIGURES:-build-cross/figures.txt}
ports=${FC_QEMU_FIGURES:-build-ports/figures.txt}
if [ ! -s "$cross" ]; then
  echo "check-figures: $cross missing, running scripts/cross-build.sh"
  CROSS_OUT=$(dirname "$cross") bash scripts/cross-build.sh >/dev/null || { echo "FAIL cross-build"; exit 1; }
fi
FC_CROSS_FIGURES=$cross FC_QEMU_FIGURES=$ports python3 scripts/check-figures.py $write || fail=1

if [ -s "$ports" ] && [ -f ports/common/figures.py ]; then
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  cp docs/embedded.md "$tmp/embedded.md"
  if python3 ports/common/figures.py "$ports" "$tmp/embedded.md" >/dev/null; then
    if diff <(grep -v '^Measured .* by `scripts/qemu-tests.sh`' docs/embedded.md) \
            <(grep -v '^Measured .* by `scripts/qemu-tests.sh`' "$tmp/embedded.md") >"$tmp/diff"; then
      echo "figures: docs/embedded.md tables match $ports"
    elif [ -n "$write" ]; then
      cp "$tmp/embedded.md" docs/embedded.md; echo "wrote docs/embedded.md tables from $ports"
    else
      echo "FAIL docs/embedded.md: its tables differ from $ports (scripts/qemu-tests.sh --write-docs rewrites them):"
      head -20 "$tmp/diff"; fail=1
    fi
  else
    echo "FAIL ports/common/figures.py could not render $ports"; fail=1
  fi
elif [ ! -f ports/common/figures.py ]; then
  echo "figures: no ports/common/figures.py, docs/embedded.md's tables not checked"
else
  echo "FAIL $ports missing: run scripts/qemu-tests.sh first (the test command does)"; fail=1
fi
exit $fail
