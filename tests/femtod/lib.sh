# SPDX-License-Identifier: Apache-2.0
# Shared by the femtod tests: a temp dir, keys, a config, a daemon on a
# random free port (always killed on exit), request helpers, assertions.
set -euo pipefail
: "${FEMTOD:?}" "${FEMTO:?}" "${COAP_TOOL:?}" "${SRC:?}" "${WORK:=/tmp}"
mkdir -p "$WORK"
T=$(mktemp -d "$WORK/femtod-test.XXXXXX")
PID=""
PORT=""
U=""
PASSED=0

cleanup() {
    if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then
        kill -TERM "$PID" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$PID" 2>/dev/null || break; sleep 0.05; done
        kill -KILL "$PID" 2>/dev/null || true
    fi
    rm -rf "$T"
}
trap cleanup EXIT

fail() {
    echo "FAIL: $*" >&2
    if [ -f "$T/daemon.log" ]; then echo "--- daemon log (tail)" >&2; tail -25 "$T/daemon.log" >&2; fi
    exit 1
}
ok() { PASSED=$((PASSED + 1)); echo "ok $PASSED - $*"; }

# expect DESC PATTERN TEXT: TEXT must match the grep -E PATTERN
expect() {
    if printf '%s\n' "$3" | grep -Eq -- "$2"; then ok "$1"; else fail "$1: expected /$2/, got: $3"; fi
}

keys() { for t in "$@"; do "$FEMTO" keygen -o "$T/$t" >/dev/null; done; }

write_config() {
    cat > "$T/femtod.conf" <<CONF
# plain CoAP on loopback in these tests: anonymous clients may do everything
anonymous rights=all
# tenants: alice runs the counters and the formatter, bob the sensor alarm
tenant alice id=1 key=$T/alice.pub caps=store_tenant,log,time privileged=yes quota=64 names=counter,fmt,netc,tick,ver,gw,logger,crasher,junk,big hooks=sched,timer,coap,net,display
tenant bob   id=2 key=$T/bob.pub   caps=store_tenant,sensor quota=64 names=alarm,bob* hooks=sensor,sched
hook sched  kind=manual policy=all caps=all
hook timer  kind=timer period_ms=50 caps=store_tenant,time
hook coap   kind=coap caps=store_tenant
hook display kind=coap policy=exactly_one caps=store_tenant
hook net    kind=net policy=first_negative caps=store_tenant
hook sensor kind=sensor period_ms=600000 caps=store_tenant,sensor
sensor temp type=temp value=215 scale=-1
CONF
}

# start_daemon [VAR=value...]: runs femtod with those environment settings;
# COAPS=1: also coaps on PORT+1 (S=coaps://127.0.0.1:PORT+1); READY: the path polled
start_daemon() {
    for _ in 1 2 3 4 5; do
        PORT=$((20000 + RANDOM % 40000))
        U="coap://127.0.0.1:$PORT"
        S="coaps://127.0.0.1:$((PORT + 1))"
        local extra=()
        [ "${COAPS:-0}" = 1 ] && extra=(--listen-coaps "127.0.0.1:$((PORT + 1))")
        env "$@" "$FEMTOD" --config "$T/femtod.conf" --listen "127.0.0.1:$PORT" "${extra[@]}" \
            --state "$T/state" >>"$T/daemon.out" 2>>"$T/daemon.log" &
        PID=$!
        for _ in $(seq 100); do
            kill -0 "$PID" 2>/dev/null || break
            if "$COAP_TOOL" req get "$U/${READY:-stats}" 2>/dev/null | grep -q '^2.05'; then return 0; fi
            sleep 0.05
        done
        kill -KILL "$PID" 2>/dev/null || true
        wait "$PID" 2>/dev/null || true
    done
    fail "femtod did not start"
}

# stop_daemon: SIGTERM, expect a clean exit 0
stop_daemon() {
    kill -TERM "$PID"
    local rc=0
    wait "$PID" || rc=$?
    PID=""
    [ "$rc" -eq 0 ] || fail "femtod exited $rc after SIGTERM"
}

req() { "$COAP_TOOL" req "$@" 2>&1 || true; }

build() { # build SRC OUT [clang args...]
    local src=$1 out=$2
    shift 2
    "$FEMTO" build "$src" -I "$SRC/daemon" -o "$out" "$@" >/dev/null || fail "femto build $src"
}

sign() { "$FEMTO" sign "$@" >/dev/null || fail "femto sign $*"; }

push() { "$FEMTO" push "$@" --quiet --timeout 10 2>&1; }
