#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The builds a distribution makes (docs/packaging.md), each warning-free
# (FC_WERROR=ON), without the test suite (the ctest stages run that):
#   1. the core and runtime alone with nothing but a C compiler: tools,
#      daemon and tests off, pkg-config disabled, then installed and
#      consumed out of tree (tests/package/consume.sh);
#   2. a Release build with gcc and 3. one with clang (everything but tests);
#   4. gcc with Debian's dpkg-buildflags (hardening=+all), build type None.
# Exits non-zero on the first failure.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
JOBS=${JOBS:-2}
SHARED=${FC_SHARED_DIR:-$ROOT/../shared}
fail=0

stage() { # name dir cmake-args...
  local name=$1 dir=$2; shift 2
  rm -rf "$dir"
  if ! cmake -S . -B "$dir" -DFC_WERROR=ON -DFC_BUILD_TESTS=OFF "$@" >"$dir.log" 2>&1; then
    cat "$dir.log"; echo "FAIL $name: configure"; fail=1; return 1
  fi
  if ! cmake --build "$dir" -j"$JOBS" >>"$dir.log" 2>&1; then
    grep -E "error|warning" "$dir.log" | head -30; echo "FAIL $name: build"; fail=1; return 1
  fi
  local nwarn
  nwarn=$(grep -c "warning:" "$dir.log" || true)
  echo "ok   $name: built, $nwarn warnings"
}

# 1. a C compiler only: find_package(PkgConfig) is refused, so any layer that
#    still needed libelf/libsodium/libcbor/libcoap/cmocka would fail to configure
if stage "core + runtime with only a C compiler (gcc)" build-pkg-core -DCMAKE_C_COMPILER=gcc \
     -DCMAKE_BUILD_TYPE=Release -DFC_BUILD_TOOLS=OFF -DFC_BUILD_DAEMON=OFF \
     -DCMAKE_DISABLE_FIND_PACKAGE_PkgConfig=ON; then
  for lib in fc_core fc_core_compact fc_runtime fc_port_null; do
    [ -f "build-pkg-core/lib/lib$lib.a" ] || { echo "FAIL lib$lib.a not built"; fail=1; }
  done
  bash tests/package/consume.sh build-pkg-core gcc "$ROOT" "$SHARED" || fail=1
fi
stage "Release build (gcc)" build-pkg-gcc -DCMAKE_C_COMPILER=gcc -DCMAKE_BUILD_TYPE=Release
stage "Release build (clang)" build-pkg-clang -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Release
# Debian's flags as a package build passes them (CPPFLAGS folded into CFLAGS: CMake reads no CPPFLAGS)
hard_cflags=$(DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --get CFLAGS)
hard_cppflags=$(DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --get CPPFLAGS)
hard_ldflags=$(DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --get LDFLAGS)
echo "     hardening: CFLAGS=$hard_cflags $hard_cppflags LDFLAGS=$hard_ldflags"
stage "dpkg-buildflags hardening build (gcc)" build-pkg-hardening -DCMAKE_C_COMPILER=gcc \
  -DCMAKE_BUILD_TYPE=None -DCMAKE_C_FLAGS="$hard_cflags $hard_cppflags" \
  -DCMAKE_EXE_LINKER_FLAGS="$hard_ldflags"
[ "$fail" -eq 0 ] && echo "package: every build clean" || echo "package: failures above"
exit "$fail"
