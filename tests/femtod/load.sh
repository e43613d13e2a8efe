#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Load: 10,000 confirmable requests from a second process (coap_tool, libcoap)
# on loopback, 16 in flight; none may be lost, the network hook must have
# seen every one, and the daemon must still answer afterwards, also after
# a flood of garbage datagrams.
source "$(dirname "$0")/lib.sh"

N=${FEMTOD_LOAD_N:-10000}
keys alice bob
write_config
build "$SRC/daemon/containers/net_counter.c" "$T/netc.img"
build "$SRC/daemon/containers/coap_counter.c" "$T/fmt.img"
sign "$T/netc.img" -k "$T/alice.key" -t alice -n netc -s 1 --hook net -o "$T/netc.env"
sign "$T/fmt.img" -k "$T/alice.key" -t alice -n fmt -s 1 --hook coap -o "$T/fmt.env"
start_daemon
expect "install the network counter" '^2\.01' "$(push "$T/netc.env" "$U")"
expect "install the formatter" '^2\.01' "$(push "$T/fmt.env" "$U")"
before=$(req get "$U/stats" | grep -o '"requests":[0-9]*' | cut -d: -f2)

out=$("$COAP_TOOL" load 127.0.0.1 "$PORT" "$N" stats 16) || fail "load: $out"
echo "load: $out"
expect "$N requests sent, all answered 2.05, none lost" "^sent $N answered $N ok $N lost 0 " "$out"
after=$(req get "$U/stats" | grep -o '"requests":[0-9]*' | cut -d: -f2)
[ $((after - before)) -eq $((N + 1)) ] || fail "daemon counted $((after - before)) requests, expected $((N + 1))"
ok "the daemon handled exactly $N (+1 stats) requests"
seen=$(req get "$U/app/fmt" | grep -o '"requests":[0-9]*' | cut -d: -f2)
[ "$seen" -ge "$N" ] || fail "the network hook's container counted $seen requests, expected at least $N"
ok "the network hook's container counted every request ($seen)"
out=$("$COAP_TOOL" load 127.0.0.1 "$PORT" 2000 app/fmt 32) || fail "load on the CoAP-request hook: $out"
echo "load app/fmt: $out"
expect "2000 requests to a container-computed resource, none lost" '^sent 2000 answered 2000 ok 2000 lost 0 ' "$out"
expect "the daemon still answers" '^2\.05 \[' "$(req get "$U/containers")"
"$COAP_TOOL" flood 127.0.0.1 "$PORT" 30000 >/dev/null
sleep 0.2
expect "after a flood of 30,000 datagrams (garbage and NON GETs) the daemon answers" '^2\.05 \{"switches"' "$(req get "$U/app/fmt")"
out=$("$COAP_TOOL" load 127.0.0.1 "$PORT" 1000 stats 16) || fail "load after the flood: $out"
expect "and serves 1,000 more requests, none lost" '^sent 1000 answered 1000 ok 1000 lost 0 ' "$out"
stop_daemon
echo "load: $PASSED checks passed"
