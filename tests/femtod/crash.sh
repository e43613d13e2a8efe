#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Crash safety: femtod is killed at each step of an update (FEMTOD_CRASH_AT)
# and restarted; the old or the new container runs, never a half one, and no
# temporary or orphaned file survives the restart.
source "$(dirname "$0")/lib.sh"

keys alice bob
write_config
V=$(dirname "$0")/containers/version.c
for v in 1 2 3; do build "$V" "$T/ver$v.img" -DVERSION=$v; done
for v in 1 2 3; do
    sign "$T/ver$v.img" -k "$T/alice.key" -t alice -n ver -s $v --hook coap -o "$T/ver$v.env"
done
sign -k "$T/alice.key" -t alice -n ver -s 2 --op remove -o "$T/remove.env"

# crash_update STEP ENVELOPE: push ENVELOPE to a daemon set to die at STEP
crash_update() {
    start_daemon "FEMTOD_CRASH_AT=$1"
    "$FEMTO" push "$2" "$U" --quiet --timeout 1 >/dev/null 2>&1 || true
    local rc=0
    wait "$PID" || rc=$?
    PID=""
    [ "$rc" -eq 99 ] || fail "femtod should have died at '$1' (exit $rc)"
}

# check_state WHAT: after a restart, only WHAT's files remain
check_files() {
    local left
    left=$(find "$T/state" -name '*.tmp' | wc -l)
    [ "$left" -eq 0 ] || fail "$1: temporary files left: $(find "$T/state" -name '*.tmp')"
    local imgs
    imgs=$(ls "$T/state/images" | tr '\n' ' ')
    [ "$imgs" = "$2" ] || fail "$1: images dir holds '$imgs', expected '$2'"
}

for step in image-tmp image manifest-tmp manifest applied; do
    rm -rf "$T/state"
    start_daemon
    expect "[$step] install v1" '^2\.01' "$(push "$T/ver1.env" "$U")"
    stop_daemon
    crash_update "$step" "$T/ver2.env"
    ok "[$step] femtod died at '$step' during the update to v2"
    start_daemon
    case $step in
        image-tmp|image|manifest-tmp) want=1 ;;
        *) want=2 ;;
    esac
    expect "[$step] after restart v$want runs, whole" "^2\\.05 v$want\$" "$(req get "$U/app/ver")"
    expect "[$step] its sequence is $want" "\"name\":\"ver\",\"tenant\":\"alice\",\"seq\":$want" "$(req get "$U/containers")"
    check_files "$step" "ver.$want.img "
    ok "[$step] no temporary or orphaned files after restart"
    expect "[$step] the next update (v3) goes through" '^2\.04 replaced' "$(push "$T/ver3.env" "$U")"
    expect "[$step] v3 runs" '^2\.05 v3$' "$(req get "$U/app/ver")"
    stop_daemon
done

# removal: before the manifest's rename the container stays, after it is gone
for step in manifest-tmp manifest applied; do
    rm -rf "$T/state"
    start_daemon
    expect "[remove/$step] install v1" '^2\.01' "$(push "$T/ver1.env" "$U")"
    stop_daemon
    crash_update "$step" "$T/remove.env"
    start_daemon
    if [ "$step" = manifest-tmp ]; then
        expect "[remove/$step] v1 still runs" '^2\.05 v1$' "$(req get "$U/app/ver")"
        check_files "remove/$step" "ver.1.img "
    else
        expect "[remove/$step] removed for good" '^4\.04' "$(req get "$U/app/ver")"
        check_files "remove/$step" ""
        expect "[remove/$step] the removal's sequence is remembered" '4\.09' "$(push "$T/ver2.env" "$U")"
    fi
    stop_daemon
done
echo "crash: $PASSED checks passed"
