#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The talk's story on one machine: a device (femtod) runs containers of two
# tenants, deployed over CoAP as signed envelopes, updated in the field, and
# refuses what it must. Installs what it needs, builds into build/ (or
# $FC_BUILD_DIR), runs everything in a temporary directory, exits 0 when
# every step did what it should.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=${FC_BUILD_DIR:-build}
JOBS=${JOBS:-2}

bold() { if [ -t 1 ]; then printf '\n\033[1m%s\033[0m\n' "$*"; else printf '\n== %s\n' "$*"; fi; }
say() { printf '   %s\n' "$*"; }
show() { printf '   $ %s\n' "$*"; }
die() { printf '\ndemo: FAILED: %s\n' "$*" >&2; [ -f "${DIR:-}/femtod.log" ] && tail -20 "$DIR/femtod.log" >&2; exit 1; }

bold "0. Set up and build (scripts/setup.sh, cmake into $BUILD/)"
bash scripts/setup.sh
cmake -S . -B "$BUILD" >/dev/null
cmake --build "$BUILD" -j"$JOBS" --target femto femtod >/dev/null
FEMTO=$ROOT/$BUILD/bin/femto
FEMTOD=$ROOT/$BUILD/bin/femtod
CC=$(command -v coap-client-notls || command -v coap-client) || die "coap-client missing"
say "built $BUILD/bin/femto and $BUILD/bin/femtod; CoAP client: $(basename "$CC") (Debian's libcoap3-bin)"

DIR=$(mktemp -d /tmp/femto-demo.XXXXXX)
DPID=""
cleanup() {
    if [ -n "$DPID" ] && kill -0 "$DPID" 2>/dev/null; then kill -TERM "$DPID"; wait "$DPID" || true; fi
    rm -rf "$DIR"
}
trap cleanup EXIT
cd "$DIR"

# coap METHOD PATH [FILE]: one request with the stock client, payload printed
coap() {
    local m=$1 p=$2
    shift 2
    timeout 20 "$CC" -B 5 -m "$m" "$@" "$URL/$p" 2>&1
}

bold "1. Two tenants make their signing keys"
show "femto keygen -o alice; femto keygen -o bob"
"$FEMTO" keygen -o alice >/dev/null
"$FEMTO" keygen -o bob >/dev/null
say "alice's public key: $(cat alice.pub)"
say "bob's public key:   $(cat bob.pub)"

cat > femtod.conf <<CONF
# who may do what on this device (the demo talks plain CoAP on loopback, where every
# client is anonymous: grant them everything; a real device uses coaps and 'client' lines)
anonymous rights=all
tenant alice id=1 key=$DIR/alice.pub caps=store_tenant,time privileged=yes quota=64 names=counter,fmt,netc,tick hooks=sched,timer,coap,net
tenant bob   id=2 key=$DIR/bob.pub   caps=store_tenant,sensor quota=16 names=alarm hooks=sensor
hook sched  kind=manual policy=all caps=all              # the scheduler's thread switch
hook timer  kind=timer period_ms=250 caps=store_tenant,time
hook coap   kind=coap caps=store_tenant                  # GET /app/NAME: a container answers
hook net    kind=net policy=first_negative caps=store_tenant
hook sensor kind=sensor period_ms=600000 caps=store_tenant,sensor
sensor temp type=temp value=215 scale=-1                 # 21.5 C
CONF

# start_femtod: on a random free port (tries another when one is taken)
start_femtod() {
    for _ in 1 2 3 4 5; do
        PORT=${PORT:-$((20000 + RANDOM % 40000))}
        URL=coap://127.0.0.1:$PORT
        "$FEMTOD" --config femtod.conf --listen "127.0.0.1:$PORT" --state state >>femtod.out 2>>femtod.log &
        DPID=$!
        for _ in $(seq 100); do
            coap get stats | grep -q requests && return 0
            kill -0 "$DPID" 2>/dev/null || break
            sleep 0.1
        done
        kill "$DPID" 2>/dev/null || true
        DPID=""
        PORT=""
    done
    die "femtod did not start"
}
PORT=""
bold "2. The device starts: femtod with a state directory"
start_femtod
show "femtod --config femtod.conf --listen 127.0.0.1:$PORT --state state    (coap://127.0.0.1:$PORT)"
say "hooks: $(coap get hooks | grep -o '"name":"[a-z]*","kind":"[a-z]*"' | sed 's/"name":"\([a-z]*\)","kind":"\([a-z]*\)"/\1 (\2)/' | paste -sd, - | sed 's/,/, /g')"

bold "3. Each tenant builds containers from C (clang -target bpf via femto build)"
build() { show "femto build $1 -o $2"; "$FEMTO" build "$ROOT/$1" -I "$ROOT/daemon" -o "$2" >/dev/null; }
build examples/thread_counter/thread_counter.c counter.img
build examples/sensor_alarm/sensor_alarm.c alarm.img
build daemon/containers/coap_counter.c fmt.img
build daemon/containers/net_counter.c netc.img
build daemon/containers/tick.c tick.img
say "images: $(for f in counter alarm fmt netc tick; do printf '%s %s B  ' $f.img "$(stat -c %s $f.img)"; done)"

bold "4. They sign them (COSE_Sign1, Ed25519) and push them over CoAP"
deploy() { # tenant name seq hook image
    show "femto sign $5 -k $1.key -t $1 -n $2 -s $3 --hook $4 -o $2.$3.env && femto push $2.$3.env $URL"
    "$FEMTO" sign "$5" -k "$1.key" -t "$1" -n "$2" -s "$3" --hook "$4" -o "$2.$3.env" >/dev/null
    local out
    out=$("$FEMTO" push "$2.$3.env" "$URL") || die "push $2: $out"
    say "device: $out"
}
deploy alice counter 1 sched counter.img
deploy alice fmt 1 coap fmt.img
deploy alice netc 1 net netc.img
deploy alice tick 1 timer tick.img
deploy bob alarm 1 sensor alarm.img
say "installed: $(coap get containers | grep -o '"name":"[a-z]*","tenant":"[a-z]*"' | sed 's/"name":"\([a-z]*\)","tenant":"\([a-z]*\)"/\2\/\1/' | paste -sd' ' -)"

bold "5. The scheduler switches threads: the thread counter counts them (alice's store)"
printf '\001\000\000\000\003\000\000\000' > to3.ctx
printf '\003\000\000\000\002\000\000\000' > to2.ctx
show "POST /fire/sched  (context {previous 1, next 3}, three times; {3, 2} once)"
for _ in 1 2 3; do r=$(coap post fire/sched -f to3.ctx); done
coap post fire/sched -f to2.ctx >/dev/null
say "last result: $r"
store=$(coap get store/alice)
say "GET /store/alice -> $store"
say "(keys 0x2 and 0x3: switches into threads 2 and 3; 0x00004e01: requests the network hook counted)"
echo "$store" | grep -q '"0x00000003":3' || die "thread 3 should have 3 switches"

bold "6. The temperature rises: bob's sensor alarm fires (sensor hook)"
printf 350 > hot; printf 200 > cool
show "PUT /sensor/temp 350   (35.0 C)"
r=$(coap put sensor/temp -f hot); say "device: $r"
echo "$r" | grep -q '"r0":1,"by":"alarm"' || die "the alarm should fire at 35.0 C"
show "PUT /sensor/temp 200   (20.0 C)"
r=$(coap put sensor/temp -f cool); say "device: $r"
say "GET /store/bob -> $(coap get store/bob)   (key 0x0000a1a3: alarms counted)"
coap get store/alice | grep -q 0x0000a1a3 && die "alice's store shows bob's value"
say "alice cannot see bob's values: GET /store/alice has no key 0x0000a1a3"

bold "7. A CoAP response formatter: the container computes GET /app/fmt's answer"
sleep 0.6
r=$(coap get app/fmt)
say "GET /app/fmt -> $r"
echo "$r" | grep -q '"switches":{"1":0,"2":1,"3":3,"4":0}' || die "formatter output"
say "(ticks: the timer hook's container; requests: the network hook's container, counting every CoAP request)"
show "GET /app/blocked"
say "device: $(coap get app/blocked)   (the network hook's container filters it)"

bold "8. Update in the field: alice replaces the thread counter with version 2"
deploy alice counter 2 sched counter.img
coap post fire/sched -f to3.ctx >/dev/null
say "its counts live on in the tenant store: $(coap get store/alice)"

bold "9. What the device refuses"
cp counter.2.env tampered.env
size=$(stat -c %s tampered.env)
printf '\x5a' | dd of=tampered.env bs=1 seek=$((size - 100)) conv=notrunc status=none
refused() { # what envelope expected-code
    local out
    if out=$("$FEMTO" push "$2" "$URL" --quiet 2>&1); then die "$1 was accepted: $out"; fi
    say "$1: ${out#femto push: refused: }"
    echo "$out" | grep -q "$3" || die "$1: expected $3"
}
refused "a tampered image (one byte changed)" tampered.env 4.01
refused "an old version (replay of seq 1)   " counter.1.env 4.09
"$FEMTO" keygen -o mallory >/dev/null
"$FEMTO" sign counter.img -k mallory.key -t mallory -n counter -s 9 --hook sched -o mallory.env >/dev/null
refused "an unknown tenant (mallory)        " mallory.env 4.01
"$FEMTO" sign counter.img -k bob.key -t alice -n counter -s 9 --hook sched -o forged.env >/dev/null
refused "alice's name signed with bob's key " forged.env 4.01
"$FEMTO" sign alarm.img -k bob.key -t bob -n alarm -s 2 --hook sched -o bobsched.env >/dev/null
refused "bob on a hook he was not granted   " bobsched.env 4.03
r=$(coap get app/fmt); say "and the installed containers still run: GET /app/fmt -> $r"

bold "10. The device restarts: its containers come back from the state directory"
kill -TERM "$DPID"; wait "$DPID"; DPID=""
say "femtod stopped cleanly; state: $(ls state/images | paste -sd' ' -)"
start_femtod
r=$(coap get containers)
say "GET /containers -> $(echo "$r" | grep -o '"name":"[a-z]*","tenant":"[a-z]*","seq":[0-9]*' | sed 's/"name":"\([a-z]*\)","tenant":"\([a-z]*\)","seq":\([0-9]*\)/\2\/\1 seq \3/' | paste -sd, - | sed 's/,/, /g')"
echo "$r" | grep -q '"name":"counter","tenant":"alice","seq":2' || die "counter v2 should be back"
r=$(coap get store/alice)
say "GET /store/alice -> $r   (store values are kept too)"
echo "$r" | grep -q '"0x00000003":4' || die "alice's counters should be back"
refused "the old version, after the restart " counter.1.env 4.09
kill -TERM "$DPID"; wait "$DPID"; DPID=""

bold "Done. The device's log:"
sed 's/^/   /' femtod.log
