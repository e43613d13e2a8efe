#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Transport security and authorisation: coaps (DTLS, PSK) with identities
# mapped to roles, plain CoAP only when configured (a warning, anonymous
# rights: discovery by default). Row 4 of issue 13: no client reads every
# store, fires any hook or writes the sensor without the right. Interop
# with Debian's coap-client-gnutls.
source "$(dirname "$0")/lib.sh"

keys alice bob
hex() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }
K_ALICE=alice-dev-secret K_BOB=bob-dev-secret-2 K_OPS=operator-secret-3
cat > "$T/femtod.conf" <<CONF
client alice-dev psk=$(hex $K_ALICE) role=tenant:alice
client bob-dev   psk=$(hex $K_BOB) role=tenant:bob
client ops       psk=$(hex $K_OPS) role=operator
tenant alice id=1 key=$T/alice.pub caps=store_tenant,log,time names=counter,fmt hooks=sched,coap
tenant bob   id=2 key=$T/bob.pub   caps=store_tenant,sensor names=alarm hooks=sensor
hook sched  kind=manual policy=all caps=all
hook coap   kind=coap caps=store_tenant
hook sensor kind=sensor period_ms=600000 caps=store_tenant,sensor
sensor temp type=temp value=215 scale=-1
CONF
C=$SRC/daemon/containers
build "$SRC/examples/thread_counter/thread_counter.c" "$T/counter.img"
build "$SRC/examples/sensor_alarm/sensor_alarm.c" "$T/alarm.img"
build "$C/coap_counter.c" "$T/fmt.img"
sign "$T/counter.img" -k "$T/alice.key" -t alice -n counter -s 1 --hook sched -o "$T/counter.env"
sign "$T/alarm.img" -k "$T/bob.key" -t bob -n alarm -s 1 --hook sensor -o "$T/alarm.env"
sign "$T/fmt.img" -k "$T/alice.key" -t alice -n fmt -s 1 --hook coap -o "$T/fmt.env"
echo "alice-dev $(hex $K_ALICE)" > "$T/alice.psk"
echo "bob-dev $(hex $K_BOB)" > "$T/bob.psk"
echo "ops $(hex $K_OPS)" > "$T/ops.psk"
echo "ops $(hex wrong-key-000000)" > "$T/wrong.psk"
echo "nobody $(hex $K_OPS)" > "$T/nobody.psk"

# both endpoints: coaps for the clients, plain CoAP for the anonymous
COAPS=1 READY=.well-known/core start_daemon
as() { local who=$1; shift; COAP_TOOL_PSK="$who" "$COAP_TOOL" req "$@" 2>&1 || true; }
ALICE="alice-dev:$(hex $K_ALICE)" BOB="bob-dev:$(hex $K_BOB)" OPS="ops:$(hex $K_OPS)"

expect "plain CoAP is announced with a warning" 'warning: plain CoAP on coap://127\.0\.0\.1:[0-9]+: no transport security' "$(cat "$T/daemon.log")"
expect "anonymous: discovery" '^2\.05 .*</containers>' "$(req get "$U/.well-known/core")"
expect "anonymous: GET /containers 4.01" '^4\.01 not authorised' "$(req get "$U/containers")"
expect "anonymous: PUT /deploy 4.01" '^4\.01' "$(req put "$U/deploy" "$T/counter.env")"
expect "anonymous: GET /store/alice 4.01" '^4\.01' "$(req get "$U/store/alice")"
expect "anonymous: POST /fire/sched 4.01" '^4\.01' "$(req post "$U/fire/sched")"
expect "anonymous: PUT /sensor/temp 4.01" '^4\.01' "$(req put "$U/sensor/temp" <(echo 999))"

expect "femto push over coaps as alice's client" '^2\.01 installed alice/counter' "$(push "$T/counter.env" "$S" --psk "$T/alice.psk")"
expect "femto push of bob's envelope with alice's identity: 4.03" "^femto push: refused: 4\\.03 a client of tenant alice may not deploy for tenant 'bob'" \
    "$(push "$T/alarm.env" "$S" --psk "$T/alice.psk")"
expect "bob deploys his own" '^2\.01 installed bob/alarm' "$(push "$T/alarm.env" "$S" --psk "$T/bob.psk")"
expect "a wrong key: the handshake fails" 'DTLS handshake failed' "$(push "$T/fmt.env" "$S" --psk "$T/wrong.psk" --timeout 3)"
expect "an unknown identity: refused the same way" 'DTLS handshake failed' "$(push "$T/fmt.env" "$S" --psk "$T/nobody.psk" --timeout 3)"
expect "the unknown identity is logged" "unknown PSK identity 'nobody'" "$(cat "$T/daemon.log")"
expect "coaps without --psk: usage" 'needs --psk FILE' "$(push "$T/fmt.env" "$S")"
expect "operator installs for alice" '^2\.01 installed alice/fmt' "$(push "$T/fmt.env" "$S" --psk "$T/ops.psk")"

printf '\001\000\000\000\003\000\000\000' > "$T/to3.ctx"
expect "alice fires a hook she may use" '^2\.05 \{"hook":"sched","ran":1' "$(as "$ALICE" post "$S/fire/sched" "$T/to3.ctx")"
expect "bob may not fire sched (forged contexts): 4.03" '^4\.03' "$(as "$BOB" post "$S/fire/sched" "$T/to3.ctx")"
expect "alice reads her store" '^2\.05 \{"tenant":"alice".*"0x00000003":1' "$(as "$ALICE" get "$S/store/alice")"
expect "bob may not read alice's store: 4.03" '^4\.03' "$(as "$BOB" get "$S/store/alice")"
expect "alice may not write the sensor that drives bob's alarm: 4.03" '^4\.03' "$(as "$ALICE" put "$S/sensor/temp" <(echo 999))"
expect "the operator may" '^2\.04 \[\{"hook":"sensor"' "$(as "$OPS" put "$S/sensor/temp" <(echo 310))"
expect "bob may not run alice's container: 4.03" '^4\.03' "$(as "$BOB" get "$S/app/fmt")"
expect "alice may" '^2\.05 \{"switches"' "$(as "$ALICE" get "$S/app/fmt")"
out=$(as "$BOB" get "$S/containers")
expect "bob's /containers lists his own" '"name":"alarm"' "$out"
if grep -q '"name":"counter"' <<<"$out"; then fail "bob sees alice's containers: $out"; fi
ok "and not alice's"
expect "the operator reads every store" '^2\.05 \{"tenant":"bob"' "$(as "$OPS" get "$S/store/bob")"

# Debian's coap-client over DTLS (GnuTLS build)
if command -v coap-client-gnutls >/dev/null; then
    out=$(timeout 20 coap-client-gnutls -B 10 -u ops -k "$K_OPS" -m get "$S/hooks" 2>&1 || true)
    expect "coap-client-gnutls GET /hooks as the operator" '"name":"sched","kind":"manual"' "$out"
    out=$(timeout 20 coap-client-gnutls -B 10 -u alice-dev -k "$K_ALICE" -m get "$S/store/bob" 2>&1 || true)
    expect "coap-client-gnutls as alice: bob's store 4.03" '4\.03' "$out"
    sign "$T/counter.img" -k "$T/alice.key" -t alice -n counter -s 2 --hook sched -o "$T/counter.2.env"
    out=$(timeout 20 coap-client-gnutls -B 10 -u alice-dev -k "$K_ALICE" -m put -b 64 -f "$T/counter.2.env" "$S/deploy" 2>&1 || true)
    expect "coap-client-gnutls block-wise PUT over DTLS" 'replaced alice/counter seq 2' "$out"
fi
stop_daemon
echo "auth: $PASSED checks passed"
