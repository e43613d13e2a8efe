#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# usage: examples_test.sh FEMTO ROOT SHARED
set -u
FEMTO=$1 ROOT=$2 SHARED=$3
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fails=0 n=0
check() { # name condition-result(0/1) detail
  n=$((n + 1))
  if [ "$2" -eq 0 ]; then echo "ok   $1"; else fails=$((fails + 1)); echo "FAIL $1: $3"; fi
}
result() { "$FEMTO" run "$@" 2>&1 | tail -n1; }
pkt() { # proto src(dotted) dport frag -> hex bytes of a 24-byte IPv4 packet
  python3 - "$@" <<'PY'
import sys, struct, socket
proto, src, dport, frag = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4], 0)
h = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 24, 0, frag, 64, proto, 0, socket.inet_aton(src),
                socket.inet_aton("192.168.1.1"))
sys.stdout.buffer.write(h + struct.pack(">HH", 40000, dport))
PY
}

for dir in "$ROOT"/examples/*/; do
  ex=$(basename "$dir")
  [ -f "$dir$ex.c" ] || continue # examples/rust: crates, run by tests/rust
  "$FEMTO" build "$dir$ex.c" -o "$T/$ex.img" >"$T/out" 2>&1
  check "$ex: femto build" $? "$(cat "$T/out")"
  "$FEMTO" verify "$T/$ex.img" >"$T/out" 2>&1
  check "$ex: femto verify accepts it" $? "$(cat "$T/out")"
  # asm(disasm(code)) == code: the image's text section, byte for byte
  python3 - "$T/$ex.img" "$T/$ex.text" <<'PY'
import struct, sys
b = open(sys.argv[1], "rb").read()
off, ln = struct.unpack_from("<II", b, 36)
open(sys.argv[2], "wb").write(b[off:off + ln])
PY
  "$FEMTO" disasm --no-addr "$T/$ex.img" >"$T/$ex.s" && "$FEMTO" asm "$T/$ex.s" -o "$T/$ex.back" 2>"$T/out"
  cmp -s "$T/$ex.text" "$T/$ex.back"
  check "$ex: femto asm of femto disasm gives back the code" $? "$(cat "$T/out")"
done

# fletcher32 over the shared 360-byte input
r=$(result "$T/fletcher32.img" --mem "$SHARED/bench/fletcher32-input.txt")
[ "$r" = "r0 = 0x8a49b4c2 (2320086210)" ]; check "fletcher32 of the shared input" $? "$r"
printf 'abcdef' >"$T/abc"
r=$(result "$T/fletcher32.img" --mem "$T/abc")
want=$(python3 -c "
d=b'abcdef'; c0=c1=0
for i in range(0,len(d),2): c0=(c0+d[i]+(d[i+1]<<8)); c1=(c1+c0)
c0%=65535; c1%=65535; v=(c1<<16)|c0; print('r0 = 0x%x (%d)' % (v, v))")
[ "$r" = "$want" ]; check "fletcher32 of 'abcdef' matches a Python model" $? "$r vs $want"

# packet filter: accept 1 / drop 0 by header fields
while read -r proto src dport frag want what; do
  pkt "$proto" "$src" "$dport" "$frag" >"$T/pkt"
  r=$(result "$T/packet_filter.img" --mem "$T/pkt")
  [ "$r" = "r0 = 0x$want ($want)" ]; check "packet_filter: $what" $? "$r"
done <<'CASES'
17 192.168.1.2 5683 0 1 UDP to CoAP accepted
6 192.168.1.2 443 0 1 TCP to https accepted
1 8.8.8.8 0 0 1 ICMP accepted
6 192.168.1.2 23 0 0 telnet dropped
17 10.66.3.4 5683 0 0 blocked network dropped
17 192.168.1.2 5683 0x10 0 later fragment dropped
47 192.168.1.2 0 0 0 GRE dropped
CASES

# thread counter and sensor alarm on the host (no sensors: -1)
printf '\001\000\000\000\003\000\000\000' >"$T/ctx"
r=$(result "$T/thread_counter.img" --mem "$T/ctx")
[ "$r" = "r0 = 0x0 (0)" ]; check "thread_counter counts a switch" $? "$r"
r=$(result "$T/sensor_alarm.img")
[ "$r" = "r0 = 0xffffffff (4294967295)" ]; check "sensor_alarm without a sensor says -1" $? "$r"

echo "$((n - fails))/$n checks passed"
[ "$fails" -eq 0 ]
