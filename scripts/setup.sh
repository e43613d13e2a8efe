#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs the Debian packages the project builds and tests with (idempotent).
set -euo pipefail
PKGS=(
  cmake make gcc clang llvm lld libclang-rt-14-dev valgrind python3 clang-19 llvm-19 lld-19
  libcmocka-dev libelf-dev libsodium-dev libcbor-dev libcoap3-dev libcoap3-bin
  gcc-arm-none-eabi libnewlib-arm-none-eabi
  gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf
  gcc-xtensa-lx106 binutils-xtensa-lx106 picolibc-xtensa-lx106-elf
  qemu-system-arm qemu-system-misc gnuplot-nox git iproute2 util-linux
  gcc-powerpc-linux-gnu libc6-dev-powerpc-cross qemu-user dpkg-dev pkg-config
  frama-c-base why3 z3 cvc4
  rustc-web cargo-web rust-web-src llvm-22
)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
