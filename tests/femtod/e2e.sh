#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# femtod end to end: keygen -> build -> sign -> push -> fire -> result, for
# every hook kind, two tenants, update, detach/attach/remove, restart.
source "$(dirname "$0")/lib.sh"

keys alice bob
write_config
C=$SRC/daemon/containers
build "$SRC/examples/thread_counter/thread_counter.c" "$T/counter.img"
build "$SRC/examples/sensor_alarm/sensor_alarm.c" "$T/alarm.img"
build "$C/coap_counter.c" "$T/fmt.img"
build "$C/net_counter.c" "$T/netc.img"
build "$C/tick.c" "$T/tick.img"
start_daemon

sign "$T/counter.img" -k "$T/alice.key" -t alice -n counter -s 1 --hook sched -o "$T/counter.1.env"
expect "push thread counter (alice, sched)" '^2\.01 installed alice/counter seq 1' "$(push "$T/counter.1.env" "$U")"
sign "$T/fmt.img" -k "$T/alice.key" -t alice -n fmt -s 1 --hook coap -o "$T/fmt.env"
[ "$(stat -c %s "$T/fmt.env")" -gt 1024 ] || fail "formatter envelope should need several blocks"
expect "push formatter block-wise (alice, coap)" '^2\.01 installed alice/fmt' "$(push "$T/fmt.env" "$U" --block 256)"
if command -v script >/dev/null; then
    sign "$T/fmt.img" -k "$T/alice.key" -t alice -n fmt -s 2 --hook coap -o "$T/fmt.2.env"
    out=$(script -qc "'$FEMTO' push '$T/fmt.2.env' '$U' --block 512" /dev/null | tr '\r' '\n')
    expect "femto push draws a progress bar on a terminal" '^push: \[#{40}\] 100% [0-9]+/[0-9]+ bytes' "$out"
    expect "and then prints the device's answer" '^2\.04 replaced alice/fmt seq 2' "$out"
fi
expect "femto push resolves a host name (localhost)" '^femto push: refused: 4\.09' "$(push "$T/fmt.env" "coap://localhost:$PORT")"
rc=0; "$FEMTO" push "$T/fmt.env" coap://127.0.0.1:1 --quiet --timeout 5 >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 3 ] || fail "femto push to a closed port: exit $rc, expected 3"
ok "femto push to a closed port: exit 3 (I/O)"
rc=0; "$FEMTO" push "$T/fmt.env" http://127.0.0.1:1 >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 2 ] || fail "femto push with an http URI: exit $rc, expected 2"
ok "femto push with a non-coap URI: exit 2 (usage)"
rc=0; "$FEMTO" push "$T/none.env" "$U" >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 3 ] || fail "femto push of a missing file: exit $rc, expected 3"
ok "femto push of a missing file: exit 3"
sign "$T/netc.img" -k "$T/alice.key" -t alice -n netc -s 1 --hook net -o "$T/netc.env"
expect "push network counter (alice, net)" '^2\.01' "$(push "$T/netc.env" "$U")"
sign "$T/tick.img" -k "$T/alice.key" -t alice -n tick -s 1 --hook timer -o "$T/tick.env"
expect "push tick (alice, timer)" '^2\.01' "$(push "$T/tick.env" "$U")"
sign "$T/alarm.img" -k "$T/bob.key" -t bob -n alarm -s 1 --hook sensor -o "$T/alarm.env"
expect "push sensor alarm (bob, sensor)" '^2\.01 installed bob/alarm' "$(push "$T/alarm.env" "$U")"

out=$(req get "$U/containers")
for n in counter fmt netc tick alarm; do
    expect "GET /containers lists $n" "\"name\":\"$n\"" "$out"
done
expect "GET /hooks shows the attachment" '"name":"sched".*"attached":\["counter"\]' "$(req get "$U/hooks")"

# thread switches 1 -> 3 five times, 3 -> 2 twice (context {u32 previous, u32 next})
printf '\001\000\000\000\003\000\000\000' > "$T/to3.ctx"
printf '\003\000\000\000\002\000\000\000' > "$T/to2.ctx"
for _ in 1 2 3 4 5; do r=$(req post "$U/fire/sched" "$T/to3.ctx"); done
expect "POST /fire/sched runs the counter" '^2\.05 \{"hook":"sched","ran":1,"faults":0,"r0":0,"by":"counter"\}' "$r"
for _ in 1 2; do req post "$U/fire/sched" "$T/to2.ctx" >/dev/null; done
out=$(req get "$U/store/alice")
expect "GET /store/alice: 5 switches into thread 3" '"0x00000003":5' "$out"
expect "GET /store/alice: 2 switches into thread 2" '"0x00000002":2' "$out"
expect "GET /store/bob is empty so far" '"values":\{\}' "$(req get "$U/store/bob")"

sleep 0.3
out=$(req get "$U/app/fmt")
expect "GET /app/fmt: the formatter computes the response" '^2\.05 \{"switches":\{"1":0,"2":2,"3":5,"4":0\},"ticks":[1-9][0-9]*,"requests":[1-9][0-9]*\}' "$out"
expect "the network hook filters app/blocked" '^4\.03 refused by the network hook' "$(req get "$U/app/blocked")"
expect "GET /app of a container not on the CoAP hook" '^4\.04' "$(req get "$U/app/counter")"

# the sensor hook: 21.5 C is below the 30.0 C threshold, 35.0 C above
expect "PUT /sensor/temp 35.0 C fires the alarm" '"hook":"sensor","ran":1,"faults":0,"r0":1,"by":"alarm"' \
    "$(printf 350 > "$T/v"; req put "$U/sensor/temp" "$T/v")"
expect "PUT /sensor/temp 20.0 C: no alarm" '"r0":0,"by":"alarm"' "$(printf 200 > "$T/v"; req put "$U/sensor/temp" "$T/v")"
expect "bob's store counts one alarm (key 0xa1a3)" '"0x0000a1a3":1' "$(req get "$U/store/bob")"
expect "alice's store does not see bob's" '"tenant":"alice"' "$(req get "$U/store/alice" | grep -v 41379)"
expect "POST /fire/sensor by hand" '"r0":0,"by":"alarm"' "$(req post "$U/fire/sensor")"

# update, detach, attach, remove
sign "$T/counter.img" -k "$T/alice.key" -t alice -n counter -s 2 --hook sched -o "$T/counter.2.env"
expect "replace counter with seq 2" '^2\.04 replaced alice/counter seq 2' "$(push "$T/counter.2.env" "$U")"
req post "$U/fire/sched" "$T/to3.ctx" >/dev/null
expect "the replacement counts on in the tenant store" '"0x00000003":6' "$(req get "$U/store/alice")"
sign -k "$T/alice.key" -t alice -n counter -s 3 --op detach --hook sched -o "$T/counter.3.env"
expect "detach counter from sched" '^2\.04 detached' "$(push "$T/counter.3.env" "$U")"
expect "sched runs nothing now" '"ran":0' "$(req post "$U/fire/sched" "$T/to3.ctx")"
sign -k "$T/alice.key" -t alice -n counter -s 4 --op attach --hook sched -o "$T/counter.4.env"
expect "attach counter again" '^2\.04 attached' "$(push "$T/counter.4.env" "$U")"
expect "sched runs it again" '"ran":1.*"by":"counter"' "$(req post "$U/fire/sched" "$T/to3.ctx")"
sign -k "$T/alice.key" -t alice -n counter -s 5 --op remove -o "$T/counter.5.env"
expect "remove counter" '^2\.02 removed alice/counter' "$(push "$T/counter.5.env" "$U")"
expect "GET /containers no longer lists it" '^2\.05 \[' "$(req get "$U/containers" | grep -v '"counter"')"
expect "a removed container's sequence stays remembered" '4\.09 sequence 5 is not above 5' \
    "$(push "$T/counter.5.env" "$U")"

# installed without a hook, then attached
build "$(dirname "$0")/containers/version.c" "$T/ver.img"
sign "$T/ver.img" -k "$T/alice.key" -t alice -n ver -s 1 -o "$T/ver.1.env"
expect "install without a hook" '^2\.01 installed alice/ver seq 1 .*0 hooks' "$(push "$T/ver.1.env" "$U")"
expect "not reachable through the CoAP hook yet" '^4\.04' "$(req get "$U/app/ver")"
sign -k "$T/alice.key" -t alice -n ver -s 2 --op attach --hook coap -o "$T/ver.2.env"
expect "attach it to the CoAP hook" '^2\.04 attached alice/ver seq 2' "$(push "$T/ver.2.env" "$U")"
expect "now it answers" '^2\.05 v1$' "$(req get "$U/app/ver")"
expect "listed with its one hook" '"name":"ver","tenant":"alice","seq":2,"state":"running","entry":"","image_bytes":[0-9]+,"hooks":\["coap"\]' "$(req get "$U/containers")"

# restart: the containers come back from the state directory
stop_daemon
grep -q "stopping" "$T/daemon.log" || fail "no clean stop in the log"
ok "SIGTERM stops femtod cleanly (exit 0)"
start_daemon
out=$(req get "$U/containers")
for n in fmt netc tick alarm; do
    expect "after restart $n is back" "\"name\":\"$n\"" "$out"
done
expect "after restart counter stays removed" '^2\.05 \[' "$(printf '%s' "$out" | grep -v '"counter"')"
expect "after restart alice's counters are back" '"0x00000002":2.*"0x00000003":7|"0x00000003":7.*"0x00000002":2' "$(req get "$U/store/alice")"
expect "after restart bob's alarm count is back" '"0x0000a1a3":1' "$(req get "$U/store/bob")"
expect "after restart the formatter answers" '^2\.05 \{"switches"' "$(req get "$U/app/fmt")"
expect "after restart an old envelope is refused" '^femto push: refused: 4\.09' "$(push "$T/counter.4.env" "$U")"
expect "after restart the hooks are attached" '"name":"timer".*"attached":\["tick"\]' "$(req get "$U/hooks")"
# store values are saved every 2 s: after a kill -9 at most the last 2 s are lost
printf 400 > "$T/v"
expect "a second alarm" '"r0":1,"by":"alarm"' "$(req put "$U/sensor/temp" "$T/v")"
sleep 2.5
kill -KILL "$PID"; wait "$PID" 2>/dev/null || true; PID=""
start_daemon
expect "after kill -9 the values saved 2 s before are back" '"0x0000a1a3":2' "$(req get "$U/store/bob")"
stop_daemon
echo "e2e: $PASSED checks passed"
