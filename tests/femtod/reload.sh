#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# No loss by configuration: a tenant or hook missing from the configuration
# (at a restart or a SIGHUP) suspends its containers and keeps their files;
# naming them again brings them back. A bad file on SIGHUP changes nothing.
# Also the small items: an empty POST /fire, four hooks attached to a
# hook-less container, a full disk named as such, a failed save at stop in
# the exit code.
source "$(dirname "$0")/lib.sh"

keys alice bob
write_config
cp "$T/femtod.conf" "$T/full.conf"
C=$SRC/daemon/containers
build "$SRC/examples/thread_counter/thread_counter.c" "$T/counter.img"
build "$SRC/examples/sensor_alarm/sensor_alarm.c" "$T/alarm.img"
build "$C/coap_counter.c" "$T/fmt.img"
start_daemon
hup() { kill -HUP "$PID"; sleep 0.3; }
images() { ls "$T/state/images" | tr '\n' ' '; }

sign "$T/counter.img" -k "$T/alice.key" -t alice -n counter -s 1 --hook sched -o "$T/counter.env"
sign "$T/alarm.img" -k "$T/bob.key" -t bob -n alarm -s 1 --hook sensor -o "$T/alarm.env"
sign "$T/fmt.img" -k "$T/alice.key" -t alice -n fmt -s 1 --hook coap -o "$T/fmt.env"
for e in counter alarm fmt; do expect "install $e" '^2\.01' "$(push "$T/$e.env" "$U")"; done
printf '\001\000\000\000\003\000\000\000' > "$T/to3.ctx"
req post "$U/fire/sched" "$T/to3.ctx" >/dev/null
expect "an empty POST /fire runs with no context (no memcpy from NULL)" '^2\.05 \{"hook":"sched","ran":1' "$(req post "$U/fire/sched")"

# SIGHUP with bob and the coap hook gone
grep -v '^tenant bob' "$T/full.conf" | grep -v '^hook coap' | sed 's/hooks=sched,timer,coap,net,display/hooks=sched,timer,net,display/' > "$T/femtod.conf"
hup
expect "SIGHUP is logged" 'reload: SIGHUP' "$(cat "$T/daemon.log")"
expect "the reload says what it loaded and suspended" 'reload: .*: 1 tenants, 5 hooks, 1 containers loaded, 2 suspended' "$(cat "$T/daemon.log")"
out=$(req get "$U/containers")
expect "bob's alarm is listed as suspended" '"name":"alarm","tenant":"bob","seq":1,"state":"suspended","why":"tenant bob not configured"' "$out"
expect "alice's formatter is suspended (its hook is gone)" '"name":"fmt","tenant":"alice","seq":1,"state":"suspended","why":"hook coap not configured"' "$out"
expect "their image files are kept" 'alarm\.1\.img.*fmt\.1\.img|fmt\.1\.img.*alarm\.1\.img' "$(images)"
expect "the counter still runs and kept its values" '"0x00000003":1' "$(req get "$U/store/alice")"
sign "$T/fmt.img" -k "$T/alice.key" -t alice -n fmt -s 2 -o "$T/fmt.2.env"
expect "a deploy to a suspended name is refused, nothing changed" "^4\\.09 container 'fmt' is suspended" "$(req put "$U/deploy" "$T/fmt.2.env")"

# a bad file changes nothing
echo "tenant broken" >> "$T/femtod.conf"
hup
expect "a bad configuration on SIGHUP is logged and ignored" 'keeping the configuration in use' "$(cat "$T/daemon.log")"
expect "the counter still answers" '^2\.05 \{"hook":"sched","ran":1' "$(req post "$U/fire/sched" "$T/to3.ctx")"

# restart with bob still missing (row 8: this used to delete his image)
sed -i '/^tenant broken/d' "$T/femtod.conf"
stop_daemon
start_daemon
expect "after a restart bob's alarm is still suspended" '"name":"alarm","tenant":"bob","seq":1,"state":"suspended"' "$(req get "$U/containers")"
expect "and its image is still there" 'alarm\.1\.img' "$(images)"

# everything back
cp "$T/full.conf" "$T/femtod.conf"
hup
out=$(req get "$U/containers")
expect "SIGHUP with bob and coap back: the alarm is loaded again" '"name":"alarm","tenant":"bob","seq":1,"state":"running"' "$out"
expect "the formatter answers again" '^2\.05 \{"switches"' "$(req get "$U/app/fmt")"
expect "the counter's values survived two reloads and a restart" '"0x00000003":2' "$(req get "$U/store/alice")"
expect "the alarm runs on its sensor hook" '^2\.04 \[\{"hook":"sensor","ran":1' "$(req put "$U/sensor/temp" <(echo 310))"
expect "deploys to the name go through again" '^2\.04 replaced alice/fmt seq 2' "$(req put "$U/deploy" "$T/fmt.2.env")"

# four hooks on a container installed without one
sign "$T/counter.img" -k "$T/alice.key" -t alice -n tick -s 1 -o "$T/tick.env"
expect "install without a hook" '^2\.01' "$(push "$T/tick.env" "$U")"
sign -k "$T/alice.key" -t alice -n tick -s 2 --op attach --hook sched --hook timer --hook net --hook coap -o "$T/tick4.env"
expect "attach it to four hooks at once" '^2\.04 attached alice/tick seq 2: 4 hooks' "$(push "$T/tick4.env" "$U")"
stop_daemon

# a full disk: named as such, and a failed save at stop is in the exit code
if mkdir -p "$T/small" && mount -t tmpfs -o size=48k tmpfs "$T/small" 2>/dev/null; then
    trap 'umount "$T/small" 2>/dev/null || true; cleanup' EXIT
    cp -r "$T/state" "$T/small/" 2>/dev/null || true
    rm -rf "$T/state"
    ln -s "$T/small/state" "$T/state"
    start_daemon
    head -c 60000 /dev/urandom > "$T/fill"; cp "$T/fill" "$T/small/fill" 2>/dev/null || true
    sign "$T/fmt.img" -k "$T/alice.key" -t alice -n fmt -s 3 --hook coap -o "$T/fmt.3.env"
    expect "a deploy on a full disk: 5.00 naming the full disk" '^5\.00 cannot write the state directory: No space left on device' "$(req put "$U/deploy" "$T/fmt.3.env")"
    req post "$U/fire/sched" "$T/to3.ctx" >/dev/null # a value changes
    kill -TERM "$PID"; rc=0; wait "$PID" || rc=$?; PID=""
    [ "$rc" -eq 1 ] || fail "a stop that could not save the stores exited $rc, expected 1"
    ok "a stop that could not save the store values exits 1"
    expect "and says why" 'stop: the store values could not be saved: No space left on device' "$(cat "$T/daemon.log")"
    umount "$T/small"
else
    echo "# skipped the full-disk checks: cannot mount a tmpfs here"
fi
echo "reload: $PASSED checks passed"
