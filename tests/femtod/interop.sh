#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Interop: Debian's stock coap-client (libcoap3-bin) drives femtod: GETs,
# a block-wise PUT of a signed envelope, a POST firing a hook.
source "$(dirname "$0")/lib.sh"

CC=$(command -v coap-client-notls || command -v coap-client || true)
[ -n "$CC" ] || fail "coap-client not found (package libcoap3-bin, scripts/setup.sh)"
cc() { timeout 20 "$CC" -B 10 "$@" 2>&1 || true; }

keys alice bob
write_config
build "$SRC/daemon/containers/coap_counter.c" "$T/fmt.img"
build "$SRC/examples/thread_counter/thread_counter.c" "$T/counter.img"
sign "$T/fmt.img" -k "$T/alice.key" -t alice -n fmt -s 1 --hook coap -o "$T/fmt.env"
sign "$T/counter.img" -k "$T/alice.key" -t alice -n counter -s 1 --hook sched -o "$T/counter.env"
start_daemon

expect "coap-client GET /hooks" '"name":"sched","kind":"manual"' "$(cc -m get "$U/hooks")"
expect "coap-client GET /containers (none yet)" '^\[\]' "$(cc -m get "$U/containers")"
# -b 64: 64-byte blocks, so the 2.7 KB envelope goes in 40+ Block1 exchanges
expect "coap-client PUT of an envelope, block-wise (64-byte blocks)" 'installed alice/fmt seq 1' \
    "$(cc -m put -b 64 -f "$T/fmt.env" "$U/deploy")"
expect "coap-client PUT of a second envelope, one datagram" 'installed alice/counter seq 1' \
    "$(cc -m put -f "$T/counter.env" "$U/deploy")"
expect "coap-client GET /containers lists both" '"name":"fmt".*"name":"counter"|"name":"counter".*"name":"fmt"' \
    "$(cc -m get "$U/containers")"
printf '\001\000\000\000\004\000\000\000' > "$T/ctx"
expect "coap-client POST /fire/sched" '"ran":1,"faults":0,"r0":0,"by":"counter"' "$(cc -m post -f "$T/ctx" "$U/fire/sched")"
expect "coap-client GET /app/fmt: the container's answer" '^\{"switches":\{"1":0,"2":0,"3":0,"4":1\}' \
    "$(cc -m get "$U/app/fmt")"
expect "coap-client GET /store/alice" '"0x00000004":1' "$(cc -m get "$U/store/alice")"
expect "coap-client replay is refused with 4.09" '4\.09' "$(cc -m put -b 64 -f "$T/fmt.env" "$U/deploy")"
expect "coap-client block-wise GET of a long answer (-b 16)" '"name":"sensor"' "$(cc -m get -b 16 "$U/hooks")"
stop_daemon
echo "interop: $PASSED checks passed"
