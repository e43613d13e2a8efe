#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# femtod when building a reply or the state in memory fails (open_memstream,
# made to fail on demand by an LD_PRELOAD shim, fail_memstream.c): every
# answer says why (5.03 "out of memory: ..."), a request that would change
# something changes nothing (a hook is not fired, a deploy is not applied and
# its sequence number not used up), and store values whose save failed are
# saved by the next save, not lost. And a container's own refusal (r0 < 0)
# is answered 5.00 with what it wrote.
source "$(dirname "$0")/lib.sh"
: "${FAIL_MEMSTREAM_SO:?}"

keys alice bob
write_config
D=$(dirname "$0")/containers
build "$D/ticker.c" "$T/ticker.img"
build "$SRC/examples/thread_counter/thread_counter.c" "$T/counter.img"
FLAG=$T/fail
start_daemon LD_PRELOAD="$FAIL_MEMSTREAM_SO" FAIL_MEMSTREAM_FLAG="$FLAG"
expect "the shim passes through without its flag" '^2\.05 \{"requests"' "$(req get "$U/stats")"
sign "$T/ticker.img" -k "$T/alice.key" -t alice -n tick -s 1 --hook timer -o "$T/tick.env"
expect "install the ticker on the 50 ms timer hook" '^2\.01 installed alice/tick seq 1' "$(push "$T/tick.env" "$U")"
sign "$T/counter.img" -k "$T/alice.key" -t alice -n counter -s 1 --hook sched -o "$T/counter.env"

# ---- open_memstream() returns NULL ----
echo o >"$FLAG"
NOMEM='^5\.03 out of memory: the reply could not be built \(nothing was changed\)$'
for p in stats containers hooks sensors store/alice store/global logs/tick .well-known/core; do
    expect "GET /$p: 5.03 saying why" "$NOMEM" "$(req get "$U/$p")"
done
printf '\001\000\000\000\003\000\000\000' >"$T/ctx"
expect "POST /fire/sched: 5.03, and the hook does not fire" "$NOMEM" "$(req post "$U/fire/sched" "$T/ctx")"
echo 250 >"$T/v"
expect "PUT /sensor/temp: 5.03, and the value is not set" "$NOMEM" "$(req put "$U/sensor/temp" "$T/v")"
expect "a deploy: 5.03, the state manifest could not be built, nothing changed" \
    '5\.03 out of memory: the state manifest could not be built \(nothing was changed\)' \
    "$(push "$T/counter.env" "$U")"
# the ticker counts to 20 meanwhile: the periodic saves of the changed store fail and say so
for _ in $(seq 200); do
    grep -q 'state: cannot save the stores: Cannot allocate memory (kept for the next save)' "$T/daemon.log" && break
    sleep 0.05
done
expect "a store save that fails is logged and kept for the next one" 'cannot save the stores: Cannot allocate memory \(kept for the next save\)' \
    "$(cat "$T/daemon.log")"

# ---- the writes into the stream fail (a 16-byte stream) ----
echo w >"$FLAG"
for p in stats containers hooks; do
    expect "GET /$p with failing writes: 5.03, not a cut reply" "$NOMEM" "$(req get "$U/$p")"
done
expect "a deploy with failing writes: 5.03, nothing changed" \
    '5\.03 out of memory: the state manifest could not be built \(nothing was changed\)' \
    "$(push "$T/counter.env" "$U")"
sleep 2.5 # at least one periodic save (every 2 s) while the ticker has settled at 20
rm -f "$FLAG"

# ---- back to normal: nothing was lost, nothing was done twice ----
expect "the failed fires never ran: sched fired 0 times" '"name":"sched","kind":"manual".*"fires":0,' "$(req get "$U/hooks")"
expect "the failed PUT left the sensor at 21.5 C" '"name":"temp","type":[0-9]+,"value":215,' "$(req get "$U/sensors")"
expect "the refused deploy's sequence number is still free: 2.01" '^2\.01 installed alice/counter seq 1' \
    "$(push "$T/counter.env" "$U")"
expect "the ticker counted to 20" '"0x00000007":20' "$(req get "$U/store/alice")"
for _ in $(seq 100); do
    grep -q '^tenant alice 7 20$' "$T/state/stores" 2>/dev/null && break
    sleep 0.05
done
expect "the store values whose saves failed are saved by the next one" '^tenant alice 7 20$' \
    "$(cat "$T/state/stores" 2>/dev/null)"
# a container that refuses a request says why in its output: the 5.00 carries it
build "$D/refuser.c" "$T/refuser.img"
sign "$T/refuser.img" -k "$T/alice.key" -t alice -n junk -s 1 --hook coap -o "$T/junk.env"
expect "install a refusing container on the coap hook" '^2\.01' "$(push "$T/junk.env" "$U")"
expect "GET /app/junk: 5.00 with the result and the container's reason" \
    '^5\.00 container junk returned -2: no reading yet$' "$(req get "$U/app/junk")"
stop_daemon
echo "memstream: $PASSED checks passed"
