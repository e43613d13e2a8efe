#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# An installed tree as its users see it: `cmake --install` of the build into
# a temporary prefix, then
#   - every installed public header compiles on its own (-I<prefix>/include only),
#   - an out-of-tree program builds through pkg-config and through
#     find_package(femto-containers) and computes the right sum,
#   - the installed femto/femtod print the version of fc/version.h, and the
#     installed femto builds a container against the installed SDK (the
#     source tree's SDK lacks the marker the test adds to the installed one).
# usage: consume.sh BUILD_DIR CC SOURCE_DIR SHARED_DIR [extra C flags...]
set -euo pipefail
build=$1 cc=$2 src=$3 shared=$4; shift 4
extra=("$@")
p=$(mktemp -d); trap 'rm -rf "$p"' EXIT
fails=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }

cmake --install "$build" --prefix "$p/usr" >"$p/install.log"
version=$(sed -n 's/^#define FC_VERSION_STRING "\(.*\)"/\1/p' "$p/usr/include/fc/version.h")
[ -n "$version" ] && ok "installed fc/version.h says $version" || bad "no FC_VERSION_STRING"
libdir=$(dirname "$(find "$p/usr" -name femto-containers.pc)")/..

for h in "$p"/usr/include/fc/*.h; do
  echo "#include \"fc/$(basename "$h")\"" >"$p/h.c"
  if "$cc" -std=c11 -Wall -Wextra -Werror -fsyntax-only -I"$p/usr/include" "$p/h.c" 2>"$p/h.log"; then :; else
    bad "fc/$(basename "$h") does not compile alone:"; head -5 "$p/h.log"
  fi
done
n_headers=$(ls "$p"/usr/include/fc/*.h | wc -l)
ok "$n_headers installed headers checked, each alone"

n=1000; want="sum(1..$n) = $((n * (n + 1) / 2))"
# pkg-config: the .pc is relocatable (pcfiledir), so the moved prefix works
export PKG_CONFIG_PATH="$libdir/pkgconfig"
pc_version=$(pkg-config --modversion femto-containers)
[ "$pc_version" = "$version" ] && ok "pkg-config --modversion = $pc_version" || bad "pkg-config version $pc_version"
# shellcheck disable=SC2046
"$cc" -std=c11 "${extra[@]}" "$src/tests/package/consumer/consumer.c" -o "$p/consumer-pc" \
  $(pkg-config --cflags --libs femto-containers)
out=$("$p/consumer-pc" "$n")
echo "$out" | grep -qF "$want" && echo "$out" | grep -qF "empty program: empty program" \
  && ok "pkg-config consumer: $out" || bad "pkg-config consumer printed: $out"

# find_package
if cmake -S "$src/tests/package/consumer" -B "$p/fp" -DCMAKE_C_COMPILER="$cc" \
     -DCMAKE_PREFIX_PATH="$p/usr" -DCMAKE_C_FLAGS="${extra[*]}" \
     -DCMAKE_EXE_LINKER_FLAGS="${extra[*]}" >"$p/fp.log" 2>&1 &&
   cmake --build "$p/fp" >>"$p/fp.log" 2>&1; then
  out=$("$p/fp/consumer" "$n")
  echo "$out" | grep -qF "$want" && echo "$out" | grep -qF "femto-containers $version" \
    && ok "find_package consumer: $out" || bad "find_package consumer printed: $out"
else
  cat "$p/fp.log"; bad "find_package consumer did not build"
fi

# the installed commands
for cmd in femto femtod; do
  [ -x "$p/usr/bin/$cmd" ] || continue
  v=$("$p/usr/bin/$cmd" --version)
  [ "$v" = "$cmd $version" ] && ok "$cmd --version: $v" || bad "$cmd --version printed '$v'"
done
sdk="$p/usr/share/femto/sdk/include"
if [ -x "$p/usr/bin/femto" ] && command -v clang >/dev/null; then
  echo '#define FC_TEST_INSTALLED_SDK 1' >>"$sdk/femto/femto.h"
  cat >"$p/c.c" <<'C'
#include "femto/femto.h"
#ifndef FC_TEST_INSTALLED_SDK
#error built against an SDK other than the installed one
#endif
FC_ENTRY(run) uint64_t run(void) { return fc_now_ms(); }
C
  if env -u FEMTO_SDK "$p/usr/bin/femto" build "$p/c.c" -o "$p/c.img" 2>"$p/b.log" &&
     "$p/usr/bin/femto" verify "$p/c.img" >/dev/null; then
    ok "installed femto builds against the installed SDK (with fc/helper_ids.h beside femto/)"
  else
    cat "$p/b.log"; bad "installed femto did not use the installed SDK"
  fi
fi
[ "$fails" -eq 0 ] && echo "package: all checks passed" || { echo "package: $fails checks failed"; exit 1; }
