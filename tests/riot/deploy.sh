#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Deployment to a RIOT native64 node over gcoap, inside a private network
# namespace (unshare --net: a tap0 that exists only there, nothing leaves
# the machine). femto push sends a signed thread counter; Debian's
# coap-client reads the counts back; a tampered envelope, a replay, a wrong
# key, an unknown tenant, an oversize, a truncated and an unfinished
# block-wise upload are refused with their CoAP codes and nothing is stored;
# the node restarts and its container comes back from the VFS.
# Usage: deploy.sh NODE.elf FEMTO GENDIR WORKDIR   (GENDIR: alice/bob keys, tc.img)
# Prints "ok"/"FAIL" lines and "deploy: N passed, M failed"; exit 0 iff none failed.
set -uo pipefail
if [ "${1:-}" != --inside ]; then
  command -v unshare >/dev/null && command -v ip >/dev/null || { echo "deploy: needs unshare and ip"; exit 1; }
  exec unshare --net bash "$0" --inside "$@"
fi
shift
elf=$1 femto=$2 gen=$3 work=$4
node=coap://[2001:db8::2]
passed=0; failed=0
ok() { echo "ok   $*"; passed=$((passed + 1)); }
bad() { echo "FAIL $*"; failed=$((failed + 1)); }
coap_get() { timeout 10 coap-client-notls -m get "$node$1" 2>/dev/null; }

ip link set lo up && ip tuntap add dev tap0 mode tap && ip link set tap0 up &&
  ip addr add 2001:db8::1/64 dev tap0 nodad || { echo "deploy: cannot set up tap0"; exit 1; }

pid=
start_node() { # log: start the node in $work (its state in ./nvm0), wait for "ready"
  (cd "$work" && exec setsid "$elf" tap0 >"$1" 2>&1 </dev/null) &
  pid=$!
  for _ in $(seq 100); do grep -q "ready" "$1" 2>/dev/null && return 0; sleep 0.1; done
  return 1
}
stop_node() { [ -n "$pid" ] && { kill -- -"$pid" 2>/dev/null; wait "$pid" 2>/dev/null; pid=; }; }
trap stop_node EXIT

push() { # envelope [options] -> sets out (stdout+stderr) and rc
  out=$(timeout 60 "$femto" push "$@" "$node/deploy" --quiet 2>&1); rc=$?
}
count_of() { # json pid -> value of key "pid" in the store's values
  python3 -c 'import json,sys; v=json.loads(sys.argv[1])["values"]; print(v.get(sys.argv[2], 0))' "$1" "$2" 2>/dev/null || echo -1
}
worker_pid() { # the node's worker thread: the key with the most switches
  python3 -c 'import json,sys; v=json.loads(sys.argv[1])["values"]; print(max(v, key=lambda k: v[k]) if v else -1)' "$1" 2>/dev/null || echo -1
}
state() { (cd "$work/nvm0/fc" 2>/dev/null && ls | sort | tr '\n' ' '); }

rm -rf "$work" && mkdir -p "$work/nvm0"
start_node "$work/node1.log" || { cat "$work/node1.log"; bad "node did not start"; exit 1; }
ok "node up on tap0 (2001:db8::2)"

s=$gen/alice.key
"$femto" sign "$gen/tc.img" -k "$s" -t alice -n tc -s 5 --hook sched_switch -o "$work/tc5.env" >/dev/null &&
"$femto" sign "$gen/tc.img" -k "$s" -t alice -n tc -s 6 --hook sched_switch -o "$work/tc6.env" >/dev/null &&
"$femto" sign "$gen/tc.img" -k "$gen/bob.key" -t alice -n tc -s 7 --hook sched_switch -o "$work/wrongkey.env" >/dev/null &&
"$femto" sign "$gen/tc.img" -k "$gen/bob.key" -t mallory -n tc -s 8 --hook sched_switch -o "$work/mallory.env" >/dev/null ||
  { bad "femto sign"; exit 1; }

push "$work/tc5.env"
if [ $rc -eq 0 ] && echo "$out" | grep -q "^2.01 installed alice/tc seq 5"; then ok "femto push: $out"; else bad "push of a signed thread counter: rc $rc: $out"; fi
sleep 0.5
a=$(coap_get /store/alice); sleep 0.5; b=$(coap_get /store/alice)
w=$(worker_pid "$b"); ca=$(count_of "$a" "$w"); cb=$(count_of "$b" "$w")
echo "store read with coap-client: $b"
if [ "$w" != -1 ] && [ "$ca" -gt 0 ] && [ "$cb" -gt "$ca" ]; then
  ok "the pushed thread counter counts RIOT's real switches (thread $w: $ca, then $cb)"
else bad "thread counts not growing: '$a' then '$b'"; fi
# ---- the original package's CoAP counter answering GET /app, fed by an original-style switch counter ----
"$femto" sign "$gen/switch_total.img" -k "$s" -t alice -n total -s 1 --hook sched_switch64 -o "$work/total.env" >/dev/null &&
"$femto" sign "$gen/coap_counter.img" -k "$s" -t alice -n counter -s 1 --hook coap -o "$work/counter.env" >/dev/null ||
  { bad "femto sign (CoAP counter)"; exit 1; }
push "$work/total.env"; r1=$out; push "$work/counter.env"; r2=$out
x=$(coap_get /app); sleep 0.3; y=$(coap_get /app)
if echo "$r1 $r2" | grep -q "installed alice/total.*installed alice/counter" && [ "${x:-0}" -gt 0 ] 2>/dev/null && [ "${y:-0}" -gt "$x" ] 2>/dev/null; then
  ok "the original tutorial's CoAP counter answers GET /app with the switches counted by an original-style container ($x, then $y)"
else bad "CoAP counter: '$r1' '$r2', GET /app gave '$x' then '$y'"; fi
# ---- a container seeing the requests: exactly the ones sent ----
"$femto" sign "$gen/request_counter.img" -k "$s" -t alice -n reqs -s 1 --hook coap_req -o "$work/reqs.env" >/dev/null ||
  bad "femto sign (request counter)"
push "$work/reqs.env"; r1=$out
for _ in 1 2 3; do coap_get /app >/dev/null; done
timeout 10 coap-client-notls -m post "$node/app" >/dev/null 2>&1
st=$(coap_get /store/alice)
g=$(count_of "$st" $((0xc0a1))); p=$(count_of "$st" $((0xc0a2)))
if echo "$r1" | grep -q "installed alice/reqs" && [ "$g" = 3 ] && [ "$p" = 1 ]; then
  ok "coap_req hook: the request counter saw exactly the 3 GETs and 1 POST sent to /app"
else bad "coap_req: '$r1', GET count '$g', POST count '$p' in $st"; fi
# ---- detach, attach and remove, signed like installs ----
for op in "detach total 2 --hook sched_switch64" "attach total 3 --hook sched_switch64" "remove counter 2"; do
  set -- $op
  "$femto" sign -k "$s" -t alice -n "$2" -s "$3" --op "$1" "${@:4}" -o "$work/$1-$2.env" >/dev/null || bad "femto sign --op $1"
done
push "$work/detach-total.env"; r1=$out
x=$(coap_get /app); sleep 0.3; y=$(coap_get /app)
if echo "$r1" | grep -q "^2.04 detached alice/total seq 2" && [ -n "$x" ] && [ "$x" = "$y" ]; then
  ok "detach: $r1; the shared counter stands still ($x, $y)"
else bad "detach: '$r1', GET /app '$x' then '$y'"; fi
push "$work/attach-total.env"; r1=$out
sleep 0.3; z=$(coap_get /app)
if echo "$r1" | grep -q "^2.04 attached alice/total seq 3" && [ "${z:-0}" -gt "$y" ] 2>/dev/null; then
  ok "attach: $r1; counting again ($y -> $z)"
else bad "attach: '$r1', GET /app '$y' then '$z'"; fi
push "$work/remove-counter.env"; r1=$out
code=$(timeout 10 coap-client-notls -m get "$node/app" 2>&1 | head -1)
if echo "$r1" | grep -q "^2.02 removed alice/counter seq 2" && ! coap_get /containers | grep -q '"counter"' &&
   [ ! -e "$work/nvm0/fc/counter.cose" ] && echo "$code" | grep -q "4.04"; then
  ok "remove: $r1; gone from /containers and the VFS, GET /app now 4.04"
else bad "remove: '$r1', GET /app '$code', state $(state)"; fi
# ---- a hostile responder on the exactly-one coap hook (after the counter's removal) ----
"$femto" sign "$gen/coap_misorder.img" -k "$s" -t alice -n bad -s 1 --hook coap -o "$work/bad.env" >/dev/null &&
"$femto" sign -k "$s" -t alice -n bad -s 2 --op remove -o "$work/bad-rm.env" >/dev/null || bad "femto sign (misorder)"
push "$work/bad.env"; r1=$out
code=$(timeout 10 coap-client-notls -m get "$node/app" 2>&1 | head -1)
push "$work/bad-rm.env"; r2=$out
if echo "$r1" | grep -q "installed alice/bad" && echo "$code" | grep -q "5.00" && echo "$r2" | grep -q "removed alice/bad" &&
   coap_get /store/alice | grep -q '"tenant":"alice"'; then
  ok "a responder calling the gcoap helpers out of order faults (GET /app 5.00), the node keeps answering"
else bad "misordered responder: '$r1', GET /app '$code', '$r2'"; fi
push "$work/remove-counter.env"
if [ $rc -eq 1 ] && echo "$out" | grep -q "4.09"; then ok "a replayed removal is refused (sequence kept after removal)"; else bad "replayed removal: rc $rc: $out"; fi
before=$(state); list=$(coap_get /containers)

# ---- refusals: each with its code, nothing stored ----
refuse() { # what code envelope [push options]
  local what=$1 code=$2; shift 2
  push "$@"
  if [ $rc -eq 1 ] && echo "$out" | grep -q "$code"; then ok "$what refused: $(echo "$out" | tr '\n' ' ')"
  else bad "$what: expected $code, rc $rc: $out"; fi
}
cp "$work/tc6.env" "$work/tampered.env"
python3 - "$work/tampered.env" <<'EOF'
import sys
p = sys.argv[1]; b = bytearray(open(p, "rb").read())
b[len(b) // 2] ^= 0x01   # a byte of the signed payload (the image)
open(p, "wb").write(bytes(b))
EOF
refuse "tampered envelope" "4.01" "$work/tampered.env"
refuse "replay (seq 5 again)" "4.09" "$work/tc5.env"
refuse "wrong key for tenant alice" "4.01" "$work/wrongkey.env"
refuse "unknown tenant mallory" "4.01" "$work/mallory.env"
head -c 6000 /dev/urandom >"$work/big.env"
refuse "oversize upload (6,000 bytes, Size1 over the 4,096-byte buffer)" "4.13" "$work/big.env" --block 256
head -c 200 "$work/tc6.env" >"$work/truncated.env"
refuse "truncated envelope (200 of its bytes, block-wise)" "4.00" "$work/truncated.env" --block 64
# an upload that stops after its first block: 2.31 Continue, then nothing
half=$(python3 - "$work/tc6.env" <<'EOF'
import socket, sys
env = open(sys.argv[1], "rb").read()
# CON PUT, token-less, Uri-Path "deploy", Block1 num 0 M=1 szx 2 (64 B), Size1
opts = bytes([0xB6]) + b"deploy" + bytes([0xD1, 27 - 11 - 13, 0x0A]) + bytes([0xD2, 60 - 27 - 13]) + len(env).to_bytes(2, "big")
msg = bytes([0x40, 0x03, 0x12, 0x34]) + opts + b"\xff" + env[:64]
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); s.settimeout(5)
s.sendto(msg, ("2001:db8::2", 5683))
r = s.recv(1500)
print("%d.%02d" % (r[1] >> 5, r[1] & 31))
EOF
)
if [ "$half" = "2.31" ]; then ok "an unfinished block-wise upload gets 2.31 Continue and is never applied"; else bad "unfinished upload answered '$half'"; fi
# a lying upload: block 0 announces 500 bytes (Size1), the last block ends after 64
lie=$(python3 - "$work/tc6.env" <<'EOF'
import socket, sys
env = open(sys.argv[1], "rb").read()
# CON PUT, Uri-Path "deploy", Block1 num 0 M=0 szx 2 (64 B), Size1 500
opts = bytes([0xB6]) + b"deploy" + bytes([0xD1, 27 - 11 - 13, 0x02]) + bytes([0xD2, 60 - 27 - 13]) + (500).to_bytes(2, "big")
msg = bytes([0x40, 0x03, 0x12, 0x35]) + opts + b"\xff" + env[:64]
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); s.settimeout(5)
s.sendto(msg, ("2001:db8::2", 5683))
r = s.recv(1500)
print("%d.%02d" % (r[1] >> 5, r[1] & 31))
EOF
)
if [ "$lie" = "4.08" ]; then ok "a lying upload (Size1 500, 64 bytes sent) is refused with 4.08"; else bad "lying upload answered '$lie'"; fi
after=$(state); list2=$(coap_get /containers)
if [ "$before" = "$after" ] && [ "$list" = "$list2" ] && echo "$list2" | grep -q '"seq":5'; then
  ok "nothing stored by the refused uploads (state: $after; containers unchanged)"
else bad "state changed: '$before' -> '$after', '$list' -> '$list2'"; fi

# ---- a new sequence number replaces; then restart from storage ----
push "$work/tc6.env" --block 64
if [ $rc -eq 0 ] && echo "$out" | grep -q "^2.04 replaced alice/tc seq 6"; then ok "replaced with seq 6 after the refusals, in 64-byte blocks: $out"; else bad "seq 6: rc $rc: $out"; fi
stop_node
start_node "$work/node2.log" || { cat "$work/node2.log"; bad "node did not restart"; exit 1; }
sleep 0.5
if grep -q "3 containers restored" "$work/node2.log" && coap_get /containers | grep -q '"name":"tc","tenant":"alice","seq":6'; then
  ok "restart: the container came back from the VFS ($(grep 'restore' "$work/node2.log" | tr '\n' ' '))"
else bad "restart: $(cat "$work/node2.log" | tail -3)"; fi
a=$(coap_get /store/alice); w=$(worker_pid "$a"); c=$(count_of "$a" "$w")
if [ "$w" != -1 ] && [ "$c" -gt 0 ]; then ok "after the restart it counts again (thread $w: $c)"; else bad "no counts after restart: '$a'"; fi
push "$work/tc6.env"
if [ $rc -eq 1 ] && echo "$out" | grep -q "4.09"; then ok "the sequence number survived the restart (seq 6 replay refused)"; else bad "replay after restart: rc $rc: $out"; fi
stop_node
echo "deploy: $passed passed, $failed failed"
[ $failed -eq 0 ]
