#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The operator's view (issue 13, part 5): containers' output tagged and kept
# per container, readable over CoAP; the global store; hooks' capabilities
# by name; /.well-known/core complete; femto device list, info, logs, remove.
source "$(dirname "$0")/lib.sh"

keys alice bob
write_config
D=$(dirname "$0")/containers
build "$D/logger.c" "$T/logger.img"
build "$SRC/examples/thread_counter/thread_counter.c" "$T/counter.img"
start_daemon
sign "$T/logger.img" -k "$T/alice.key" -t alice -n logger -s 1 --hook sched -o "$T/logger.env"
expect "install a container that prints" '^2\.01' "$(push "$T/logger.env" "$U")"
printf '\001\000\000\000\003\000\000\000' > "$T/ctx"
for _ in $(seq 20); do req post "$U/fire/sched" "$T/ctx" >/dev/null; done
expect "its output goes to stdout tagged with tenant and name" '^\[alice/logger\] logger: 8$' "$(tail -1 "$T/daemon.out")"
out=$(req get "$U/logs/logger")
expect "GET /logs/logger: the last 16 of its 20 lines, counted" '^2\.05 \{"container":"logger","tenant":"alice","instances":\[\{"hook":"sched","lines_total":20,"lines":\["logger: 8"' "$out"
[ "$(grep -o '"logger: 8"' <<<"$out" | wc -l)" -eq 16 ] || fail "expected 16 lines kept: $out"
ok "the ring keeps 16 lines"
sign "$T/counter.img" -k "$T/alice.key" -t alice -n counter -s 1 --hook sched -o "$T/counter.env"
expect "a second container on the hook" '^2\.01' "$(push "$T/counter.env" "$U")"
req post "$U/fire/sched" "$T/ctx" >/dev/null
expect "with two on a hook the line is tagged with the hook (the runtime's log does not say which)" '^\[hook sched\] logger: 8$' "$(tail -1 "$T/daemon.out")"
expect "/containers: the budget its last run used" '"name":"logger".*"hook":"sched","state":"running","runs":21,"faults":0,"budget_used":[1-9][0-9]*,"budget":100000' "$(req get "$U/containers")"
expect "GET /store/global" '^2\.05 \{"store":"global","values":\{' "$(req get "$U/store/global")"
expect "GET /hooks names capabilities" '"name":"timer","kind":"timer","policy":"all","caps":"store_tenant,time","privileged":false' "$(req get "$U/hooks")"
wk=$(req get "$U/.well-known/core")
for l in '</containers>' '</deploy>' '</store/global>' '</store/bob>' '</fire/sensor>' '</sensor/temp>' '</logs/logger>'; do
    expect "/.well-known/core lists $l" "$l" "$wk"
done

out=$("$FEMTO" device list "$U")
expect "femto device list: a header" '^NAME +TENANT +SEQ +STATE +HOOKS +RUNS +FAULTS' "$out"
expect "and a line per container with runs" '^logger +alice +1 +running +\["sched"\] +21 +0' "$out"
expect "femto device info" '^\{"name":"counter","tenant":"alice","seq":1,"state":"running"' "$("$FEMTO" device info "$U" counter)"
rc=0; "$FEMTO" device info "$U" nosuch >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 1 ] || fail "info of a missing container: exit $rc"
ok "femto device info of a missing container: exit 1"
expect "femto device logs" '^logger: 8$' "$("$FEMTO" device logs "$U" logger | tail -1)"
expect "femto device remove: signs and pushes a removal" '^2\.02 removed alice/counter' \
    "$("$FEMTO" device remove "$U" counter -k "$T/alice.key" -t alice -s 2 2>&1)"
if "$FEMTO" device list "$U" | grep -q '^counter '; then fail "counter still listed"; fi
ok "and it is gone from the list"
stop_daemon
echo "operator: $PASSED checks passed"
