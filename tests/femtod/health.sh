#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Row 7 of issue 13: the network hook only for privileged tenants; a
# container that keeps faulting is backed off, then quarantined, its state
# and last fault visible, the daemon's requests and log unharmed.
source "$(dirname "$0")/lib.sh"

keys alice bob
write_config
echo "faults backoff_ms=1000 quarantine_after=2" >> "$T/femtod.conf"
sed -i 's/^tenant bob   id=2 \(.*\) hooks=sensor,sched$/tenant bob   id=2 \1 hooks=sensor,sched,net/' "$T/femtod.conf"
build "$(dirname "$0")/containers/crasher.c" "$T/crasher.img" -g
build "$SRC/daemon/containers/net_counter.c" "$T/netc.img"
start_daemon

sign "$T/netc.img" -k "$T/bob.key" -t bob -n bobnet -s 1 --hook net -o "$T/bobnet.env"
expect "bob (not privileged) may not attach to the network hook" "^4\\.03 hook net sees other tenants' traffic: tenant bob is not privileged" "$(req put "$U/deploy" "$T/bobnet.env")"
sign "$T/crasher.img" -k "$T/alice.key" -t alice -n crasher -s 1 --hook coap -o "$T/c.env"
expect "install a container that always faults" '^2\.01' "$(push "$T/c.env" "$U")"
for i in 1 2 3; do r=$(req get "$U/app/crasher"); done
expect "its third fault in a row answers 5.00" '^5\.00 container crasher faulted' "$r"
expect "then it is backed off: 5.03 with the reason" '^5\.03 container crasher is backoff after 3 faults \(last: .* at pc [0-9]+\)' "$(req get "$U/app/crasher")"
out=$(req get "$U/containers")
expect "/containers shows its state, runs, faults" '"instances":\[\{"hook":"coap","state":"backoff","runs":3,"faults":3' "$out"
expect "and its last fault with the C line (the image has a line table)" '"last_fault":\{"error":"[^"]+","pc":[0-9]+,"file":"[^"]*crasher\.c","line":9\}' "$out"
sleep 1.1
expect "after the backoff it runs again (and faults)" '^5\.00 container crasher faulted' "$(req get "$U/app/crasher")"
req get "$U/app/crasher" >/dev/null; req get "$U/app/crasher" >/dev/null
expect "backed off again, for twice as long" 'backed off for 2000 ms' "$(cat "$T/daemon.log")"
sleep 2.1
for i in 1 2 3; do req get "$U/app/crasher" >/dev/null; done
expect "after 2 backoffs: quarantined" '^5\.03 container crasher is quarantined after 9 faults' "$(req get "$U/app/crasher")"
expect "visible in /containers" '"name":"crasher".*"state":"quarantined","runs":9,"faults":9' "$(req get "$U/containers")"
expect "and logged once" 'health: alice/crasher on coap quarantined after 9 faults' "$(cat "$T/daemon.log")"
n=$(grep -c 'faulted' "$T/daemon.log" || true)
[ "$n" -le 3 ] || fail "$n log lines for 9 faults"
ok "9 faults, $n 'faulted' log lines (one per run of faults)"
sign "$T/crasher.img" -k "$T/alice.key" -t alice -n crasher -s 2 --hook coap -o "$T/c2.env"
expect "a new deploy brings it back" '"name":"crasher".*"state":"running","runs":0' "$(push "$T/c2.env" "$U" >/dev/null; req get "$U/containers")"

# on the network hook: every request runs it; the daemon serves on and logs little
sign "$T/crasher.img" -k "$T/alice.key" -t alice -n crasher -s 3 --hook net -o "$T/c3.env"
expect "alice (privileged) puts the crasher on the network hook" '^2\.04' "$(push "$T/c3.env" "$U")"
out=$("$COAP_TOOL" load 127.0.0.1 "$PORT" 500 stats 8) || fail "load: $out"
expect "500 requests all answered while it faults" '^sent 500 answered 500 ok 500 lost 0' "$out"
expect "it went into backoff instead of faulting 500 times" '"hook":"net","state":"(backoff|running|quarantined)","runs":[0-9]+,"faults":[1-9]' "$(req get "$U/containers")"
f=$(req get "$U/containers" | grep -o '"hook":"net","state":"[a-z]*","runs":[0-9]*,"faults":[0-9]*' | grep -o 'faults":[0-9]*' | cut -d: -f2)
[ "$f" -le 9 ] || fail "it faulted $f times in 500 requests"
ok "it faulted $f times in 500 requests (backoff, then quarantine)"
stop_daemon
echo "health: $PASSED checks passed"
