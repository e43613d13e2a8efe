#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# femtod load and soak benchmark (not part of ctest: it measures, it does not
# judge). Loopback only, bounded in count and time. Prints requests/s for
# GET /stats with the network hook's container on every request, for the
# container-computed GET /app/fmt, and the daemon's RSS (from /proc) idle,
# after each soak round and at the end.
#   FEMTOD=... FEMTO=... COAP_TOOL=... SRC=... bash tests/femtod/bench.sh
#   (or: B=build-femtod bash tests/femtod/bench.sh; ROUNDS=5 N=20000)
B=${B:-build}
: "${FEMTOD:=$B/bin/femtod}" "${FEMTO:=$B/bin/femto}" "${COAP_TOOL:=$B/bin/fc_coap_tool}" "${SRC:=$(pwd)}"
export FEMTOD FEMTO COAP_TOOL SRC
source "$(dirname "$0")/lib.sh"
ROUNDS=${ROUNDS:-5}
N=${N:-20000}
[ "$ROUNDS" -le 30 ] && [ "$N" -le 200000 ] || fail "ROUNDS <= 30, N <= 200000"
rss() { awk '$1 == "VmRSS:" { print $2 }' "/proc/$PID/status"; }

keys alice bob
write_config
build "$SRC/daemon/containers/net_counter.c" "$T/netc.img"
build "$SRC/daemon/containers/coap_counter.c" "$T/fmt.img"
sign "$T/netc.img" -k "$T/alice.key" -t alice -n netc -s 1 --hook net -o "$T/netc.env"
sign "$T/fmt.img" -k "$T/alice.key" -t alice -n fmt -s 1 --hook coap -o "$T/fmt.env"
start_daemon
push "$T/netc.env" "$U" >/dev/null
push "$T/fmt.env" "$U" >/dev/null
echo "idle RSS: $(rss) kB"
for r in $(seq "$ROUNDS"); do
    out=$(timeout 120 "$COAP_TOOL" load 127.0.0.1 "$PORT" "$N" stats 16) || fail "round $r: $out"
    echo "round $r: GET /stats x $N: $(grep -o 'lost [0-9]*' <<<"$out"), $(grep -o 'rate [0-9]*' <<<"$out" | cut -d' ' -f2) requests/s, RSS $(rss) kB"
done
out=$(timeout 120 "$COAP_TOOL" load 127.0.0.1 "$PORT" "$N" app/fmt 16) || fail "app: $out"
echo "GET /app/fmt x $N: $(grep -o 'lost [0-9]*' <<<"$out"), $(grep -o 'rate [0-9]*' <<<"$out" | cut -d' ' -f2) requests/s, RSS $(rss) kB"
stop_daemon
