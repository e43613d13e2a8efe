#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Drives `femto plugin` exactly as the bpf_conformance runner does (program as
# hex on stdin, memory as hex argument, r0 in hex on stdout) over every test.
# usage: plugin.sh FEMTO CONFORMANCE_TESTS_DIR
set -u
femto=$1; dir=$2; pass=0; fail=0; total=0
for f in "$dir"/*.test; do
  total=$((total + 1))
  name=$(basename "$f")
  prog=$(sed -n 's/^program //p' "$f")
  mem=$(sed -n 's/^memory //p' "$f" | tr -d ' ')
  want=$(sed -n 's/^result //p' "$f")
  if [ -n "$mem" ]; then out=$(printf '%s\n' "$prog" | "$femto" plugin "$mem" 2>/tmp/fc-plugin-err.$$); rc=$?
  else out=$(printf '%s\n' "$prog" | "$femto" plugin 2>/tmp/fc-plugin-err.$$); rc=$?; fi
  if [ "$name" = callx.test ]; then
    # call through a register is rejected by design, with a reason and exit 1
    if [ $rc -eq 1 ] && grep -q callx /tmp/fc-plugin-err.$$; then pass=$((pass + 1));
    else fail=$((fail + 1)); echo "FAIL $name: expected rejection, rc=$rc out='$out'"; fi
    continue
  fi
  if [ $rc -eq 0 ] && [ -n "$out" ] && [ "$(printf '%x' "0x${out#0x}")" = "$(printf '%x' "$want")" ]; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1)); echo "FAIL $name: rc=$rc got '$out' want $want: $(cat /tmp/fc-plugin-err.$$)"
  fi
done
rm -f /tmp/fc-plugin-err.$$
# The contract also demands no crash on garbage: exit 2 with a message.
for junk in "zz top" "b7 0" "$(head -c 300 /dev/urandom | base64)"; do
  printf '%s' "$junk" | "$femto" plugin >/dev/null 2>&1; rc=$?
  if [ $rc -ne 2 ]; then fail=$((fail + 1)); echo "FAIL garbage input gave rc=$rc"; fi
done
echo "conformance through femto plugin: $pass/$total"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ] && [ $pass -gt 0 ]
