#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# femtod refuses bad configurations, arguments and state directories with
# a message naming the problem (exit 2 for configuration and usage, 1 for
# what it cannot set up), and never starts half-configured.
source "$(dirname "$0")/lib.sh"

keys alice bob
write_config
good=$T/femtod.conf
run() { timeout 10 "$FEMTOD" "$@" 2>&1; }
refuses() { # DESC CODE PATTERN ARGS...
    local desc=$1 code=$2 pat=$3 out rc=0
    shift 3
    out=$(run "$@") || rc=$?
    [ "$rc" -eq "$code" ] || fail "$desc: exit $rc, expected $code ($out)"
    expect "$desc (exit $code)" "$pat" "$out"
}
bad() { # LINE: a config with that line added
    cp "$good" "$T/bad.conf"
    printf '%s\n' "$1" >> "$T/bad.conf"
}

refuses "no --config" 2 'usage: femtod' --listen 127.0.0.1:1
refuses "unknown argument" 2 "unexpected argument '--nope'" --config "$good" --nope
refuses "missing config file" 2 'No such file' --config "$T/none.conf"
bad "frobnicate x"; refuses "unknown declaration" 2 'bad.conf:[0-9]+: unknown declaration' --config "$T/bad.conf"
bad "tenant carol id=3 caps=log"; refuses "tenant without a key" 2 'tenant carol needs id= and key=' --config "$T/bad.conf"
bad "tenant carol id=3 key=abcd"; refuses "malformed key" 2 'bad value for key' --config "$T/bad.conf"
bad "tenant carol id=3 key=$T/bob.pub caps=log,fly"; refuses "unknown capability" 2 "bad value for caps: 'log,fly'" --config "$T/bad.conf"
bad "tenant carol id=3 key=$T/bob.pub hooks=nosuch"; refuses "a hook that does not exist" 2 "names unknown hook 'nosuch'" --config "$T/bad.conf"
bad "tenant carol id=1 key=$T/bob.pub"; refuses "a tenant id taken twice" 2 'tenant carol: ' --config "$T/bad.conf"
bad "tenant alice id=9 key=$T/bob.pub"; refuses "a tenant name taken twice" 2 "repeated tenant name 'alice'" --config "$T/bad.conf"
bad "hook h kind=cron"; refuses "unknown hook kind" 2 "bad value for kind: 'cron'" --config "$T/bad.conf"
bad "hook h policy=some"; refuses "unknown policy" 2 "bad value for policy" --config "$T/bad.conf"
bad "sensor s type=smell"; refuses "unknown sensor type" 2 "bad value for type" --config "$T/bad.conf"
bad "tenant carol id=3 key=$T/bob.pub names=$(printf 'n%04d,' $(seq 300))"; refuses "a line over 1 KiB is an error, not cut" 2 'line longer than 1022 bytes' --config "$T/bad.conf"
bad "hook h kind=manual $(printf 'budget=1 %.0s' $(seq 40))"; refuses "more than 32 words is an error, not dropped" 2 'more than 32 words' --config "$T/bad.conf"
bad "client ops role=operator"; refuses "a client without a key" 2 'client ops needs psk= and role=' --config "$T/bad.conf"
bad "client ops psk=abc role=operator"; refuses "an odd-length key" 2 'psk= takes 1\.\.64 bytes in hex' --config "$T/bad.conf"
bad "client ops psk=abcd role=tenant:carol"; refuses "a client for an unknown tenant" 2 "client ops acts for unknown tenant 'carol'" --config "$T/bad.conf"
bad "anonymous rights=list,everything"; refuses "an unknown right" 2 'anonymous rights=discover' --config "$T/bad.conf"
bad "faults backoff_ms=1"; refuses "a backoff out of range" 2 'faults backoff_ms=10\.\.3600000' --config "$T/bad.conf"
bad "uploads expiry_ms=99999999"; refuses "an upload expiry out of range" 2 'uploads expiry_ms=100\.\.600000' --config "$T/bad.conf"
bad "tenant global id=5 key=$T/bob.pub"; refuses "a tenant named global (GET /store/global)" 2 "bad or repeated tenant name 'global'" --config "$T/bad.conf"
bad "tenant carol id=3 key=$T/bob.pub ram=10"; refuses "a RAM quota below 1024" 2 "bad value for ram: '10'" --config "$T/bad.conf"
refuses "bad --listen" 2 'listen HOST:PORT' --config "$good" --listen nowhere
refuses "not an IPv4 address" 1 "is not an IPv4 address" --config "$good" --listen 'host.example:5683'

start_daemon
refuses "port already in use" 1 'cannot bind' --config "$good" --listen "127.0.0.1:$PORT" --state "$T/other"
stop_daemon
printf 'femtod-state 7\n' > "$T/state/manifest"
refuses "an unreadable state directory's manifest" 1 'cannot restore the state' --config "$good" --listen 127.0.0.1:1 --state "$T/state"
echo "config: $PASSED checks passed"
