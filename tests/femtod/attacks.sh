#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Every attack on /deploy and on the CoAP layer gets its proper code and a
# diagnostic, is logged, and leaves the installed container working.
source "$(dirname "$0")/lib.sh"

keys alice bob mallory
write_config
C=$SRC/daemon/containers
build "$C/coap_counter.c" "$T/fmt.img"
build "$(dirname "$0")/containers/global_writer.c" "$T/gw.img"
build "$(dirname "$0")/containers/logger.c" "$T/logger.img"
build "$(dirname "$0")/containers/crasher.c" "$T/crasher.img"
start_daemon

sign "$T/fmt.img" -k "$T/alice.key" -t alice -n fmt -s 10 --hook coap -o "$T/fmt.10.env"
expect "install the formatter (seq 10)" '^2\.01' "$(push "$T/fmt.10.env" "$U")"
healthy() { expect "$1: the installed formatter still answers" '^2\.05 \{"switches"' "$(req get "$U/app/fmt")"; }

# signatures and tenants
sign "$T/fmt.img" -k "$T/bob.key" -t alice -n fmt -s 11 --hook coap -o "$T/wrongkey.env"
expect "signed with another tenant's key -> 4.01" '^4\.01 signature does not verify' "$(req put "$U/deploy" "$T/wrongkey.env")"
sign "$T/fmt.img" -k "$T/mallory.key" -t mallory -n fmt -s 11 --hook coap -o "$T/mallory.env"
expect "unknown tenant -> 4.01" "^4\\.01 unknown tenant 'mallory'" "$(req put "$U/deploy" "$T/mallory.env")"
sign "$T/fmt.img" -k "$T/bob.key" -t bob -n fmt -s 11 --hook sensor -o "$T/bobfmt.env"
expect "a name the tenant may not use -> 4.03" "^4\\.03 tenant bob may not use the container name 'fmt'" "$(req put "$U/deploy" "$T/bobfmt.env")"
sign "$T/fmt.img" -k "$T/alice.key" -t alice -n fmt -s 11 --hook sensor -o "$T/hook.env"
expect "a hook the tenant may not use -> 4.03" "^4\\.03 tenant alice may not use hook 'sensor'" "$(req put "$U/deploy" "$T/hook.env")"
sign "$T/fmt.img" -k "$T/alice.key" -t alice -n fmt -s 11 --hook nosuch -o "$T/nohook.env"
expect "an unknown hook -> 4.04" "^4\\.04 no hook 'nosuch'" "$(req put "$U/deploy" "$T/nohook.env")"
healthy "after refused signatures and rights"

# replay and rollback
expect "replayed envelope -> 4.09" '^4\.09 sequence 10 is not above 10' "$(req put "$U/deploy" "$T/fmt.10.env")"
sign "$T/fmt.img" -k "$T/alice.key" -t alice -n fmt -s 9 --hook coap -o "$T/fmt.9.env"
expect "older sequence (rollback) -> 4.09" '^4\.09 sequence 9 is not above 10' "$(req put "$U/deploy" "$T/fmt.9.env")"

# tampering and malformed envelopes
cp "$T/fmt.10.env" "$T/tampered.env"
size=$(stat -c %s "$T/tampered.env")
printf '\x5a' | dd of="$T/tampered.env" bs=1 seek=$((size - 200)) conv=notrunc status=none
sign "$T/fmt.img" -k "$T/alice.key" -t alice -n fmt -s 12 --hook coap -o "$T/fmt.12.env"
cp "$T/fmt.12.env" "$T/tampered12.env"
printf '\x5a' | dd of="$T/tampered12.env" bs=1 seek=$((size - 300)) conv=notrunc status=none
expect "one image byte changed -> 4.01" '^4\.01 signature does not verify' "$(req put "$U/deploy" "$T/tampered12.env")"
head -c $((size / 2)) "$T/fmt.12.env" > "$T/trunc.env"
expect "truncated envelope -> 4.00" '^4\.00 malformed envelope' "$(req put "$U/deploy" "$T/trunc.env")"
head -c 3000 /dev/urandom > "$T/garbage.env"
expect "random bytes -> 4.00" '^4\.00' "$(req put "$U/deploy" "$T/garbage.env")"
expect "empty body -> 4.00" '^4\.00 empty body' "$(req put "$U/deploy")"
printf '\xd2\x9b\xff\xff\xff\xff\xff\xff\xff\xff' > "$T/huge.env"
expect "CBOR claiming 2^64 items -> 4.00" '^4\.00' "$(req put "$U/deploy" "$T/huge.env")"
healthy "after malformed envelopes"

# images the device refuses
head -c 600 /dev/urandom > "$T/junk.img"
sign "$T/junk.img" -k "$T/alice.key" -t alice -n junk -s 1 --hook coap -o "$T/junk.env"
expect "not an image -> 4.22" '^4\.22 not a valid container image' "$(req put "$U/deploy" "$T/junk.env")"
sign "$T/gw.img" -k "$T/alice.key" -t alice -n gw -s 1 --hook coap -o "$T/gw.env"
expect "calls a helper the tenant lacks -> 4.22 (verifier, with pc, the helper and capability by name)" "^4\\.22 image refused by the verifier with tenant alice's capabilities: .* at pc [0-9]+ .*: helper [a-z_]+ \\(0x[0-9a-f]+\\) needs store_global" \
    "$(req put "$U/deploy" "$T/gw.env")"
sign "$T/logger.img" -k "$T/alice.key" -t alice -n logger -s 1 --hook coap -o "$T/logger.env"
expect "calls a helper the hook does not grant -> 4.22, capabilities by name" '^4\.22 image refused by the verifier for hook coap \(tenant & hook capabilities store_tenant\): .*helper [a-z_]+ \(0x[0-9a-f]+\) needs log' \
    "$(req put "$U/deploy" "$T/logger.env")"
sign "$T/fmt.img" -k "$T/alice.key" -t alice -n fmt -s 13 --hook coap --entry nosuch -o "$T/entry.env"
expect "unknown entry point -> 4.22" "^4\\.22 the image has no entry point 'nosuch'" "$(req put "$U/deploy" "$T/entry.env")"
head -c 300000 /dev/urandom > "$T/big.img"
sign "$T/big.img" -k "$T/alice.key" -t alice -n big -s 1 --hook coap -o "$T/big.env"
expect "envelope over 256 KiB -> 4.13" '^4\.13' "$(req put "$U/deploy" "$T/big.env")"
expect "refused images are not listed" '^2\.05 \[\{"name":"fmt".*"seq":10' "$(req get "$U/containers")"
healthy "after refused images"

# a container that faults at run time
sign "$T/crasher.img" -k "$T/alice.key" -t alice -n crasher -s 1 --hook coap -o "$T/crasher.env"
expect "a faulting container installs (the verifier cannot know)" '^2\.01' "$(req put "$U/deploy" "$T/crasher.env")"
expect "its run faults -> 5.00 with the pc" '^5\.00 container crasher faulted at pc [0-9]+' "$(req get "$U/app/crasher")"
healthy "after a fault"

# an exactly-one hook keeps its one container
sign "$T/fmt.img" -k "$T/alice.key" -t alice -n fmt -s 20 --hook coap --hook display -o "$T/fmt.20.env"
expect "the formatter takes the exactly-one hook too" '^2\.04 replaced alice/fmt seq 20 .*2 hooks' "$(req put "$U/deploy" "$T/fmt.20.env")"
sign "$T/crasher.img" -k "$T/alice.key" -t alice -n crasher -s 2 --hook display -o "$T/crasher.2.env"
expect "a second container on it -> 4.09" '^4\.09 hook display takes exactly one container and has one' "$(req put "$U/deploy" "$T/crasher.2.env")"
expect "the crasher stays as it was" '"name":"crasher","tenant":"alice","seq":1,.*"hooks":\["coap"\]' "$(req get "$U/containers")"
sign "$T/fmt.img" -k "$T/alice.key" -t alice -n fmt -s 21 --hook display -o "$T/fmt.21.env"
expect "its holder can replace itself there" '^2\.04 replaced alice/fmt seq 21' "$(req put "$U/deploy" "$T/fmt.21.env")"
expect "GET /hooks: display holds fmt only" '"name":"display","kind":"coap","policy":"exactly_one"[^]]*"attached":\["fmt"\]' "$(req get "$U/hooks")"
expect "fmt still answers through the display hook" '^2\.05 \{"switches"' "$(req get "$U/app/fmt")"

# malformed CoAP datagrams (coap_tool raw prints the answer's type and code)
raw() { "$COAP_TOOL" raw 127.0.0.1 "$PORT" "$1"; }
expect "garbage datagram: no crash" '^(none|RST)' "$(raw ff00ff00aa)"
expect "one-byte datagram: ignored" '^none' "$(raw 40)"
expect "CoAP version 2: ignored or reset" '^(none|RST)' "$(raw 80010001)"
expect "token length 9 (reserved): rejected" '^(none|RST)' "$(raw 4901000111223344556677889900)"
expect "unknown critical option: 4.02" '^ACK 4\.02' "$(raw 4201abcd1122b57374617473d001)"
zeros() { printf "%0$(($1 * 2))d" 0; } # N zero bytes as hex
payload=$(zeros 64)
# PUT /deploy, Block1 num 1 first (szx 2 = 64 bytes): libcoap wants block 0
expect "block 1 without block 0 -> 4.08" '^ACK 4\.08' "$(raw "4203123411aab66465706c6f79d1031aff$payload")"
# block 0 of many with Size1 (2048), then silence: 2.31 Continue, the body never completes
expect "block 0 then silence -> 2.31, nothing installed" '^ACK 2\.31' "$(raw "4203123511bbb66465706c6f79d1030ad2140800ff$payload")"
# block 0 of many without Size1: never taken for the whole body
expect "block 0 without Size1 -> 2.31 (accounted at the body limit)" '^ACK 2\.31' "$(raw "4203123711ddb66465706c6f79d1030aff$payload")"
expect "oversized block (64 B announced, 80 sent) -> 4.xx" '^ACK 4\.[0-9]+' "$(raw "4203123611ccb66465706c6f79d10302ff$payload$(zeros 16)")"
healthy "after malformed CoAP"
expect "the daemon logged each refusal" "4\\.01 signature does not verify" "$(cat "$T/daemon.log")"
[ "$(grep -c 'deploy: ' "$T/daemon.log")" -ge 18 ] || fail "expected a log line per deploy attempt"
ok "one log line per deploy attempt ($(grep -c 'deploy: ' "$T/daemon.log"))"
stop_daemon
echo "attacks: $PASSED checks passed"
