#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Tenant isolation of resources (issue 13 rows 5, 6): per-tenant quotas for
# slots, remembered names, RAM per instance and in all, checked before
# anything is allocated (also for images declaring a 4 GiB .bss or stack); a name is freed when its container is removed and
# sequence protection is kept per tenant and name (a floor when a record of
# a removed name gives way).
source "$(dirname "$0")/lib.sh"

keys alice mallory
cat > "$T/femtod.conf" <<CONF
anonymous rights=all
tenant alice   id=1 key=$T/alice.pub caps=store_tenant names=* hooks=*
tenant mallory id=3 key=$T/mallory.pub caps=store_tenant names=m* hooks=* slots=3 names_max=4 ram=65536 ram_total=98304
hook sched kind=manual
hook other kind=manual
CONF
D=$(dirname "$0")/containers
build "$D/big_bss.c" "$T/small.img"
build "$D/big_bss.c" "$T/huge.img" -DBSS=62914560 # 60 MiB (femto build refuses over 64 MiB)
build "$D/big_bss.c" "$T/40k.img" -DBSS=40000
start_daemon
vm() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$PID/status"; }
size0=$(vm VmSize)
m() { sign "$T/$1.img" -k "$T/mallory.key" -t mallory -n "$2" -s "$3" "${@:4}" -o "$T/m.env"; req put "$U/deploy" "$T/m.env"; }

# row 5: RAM per instance and in all, before allocation
expect "a 60 MiB .bss on two hooks: 4.03 before anything is allocated" '^4\.03 one instance needs 629[0-9]+ bytes of RAM .* tenant mallory may use 65536 per instance' \
    "$(m huge mhuge 1 --hook sched --hook other)"
size1=$(vm VmSize)
[ $((size1 - size0)) -lt 8192 ] || fail "virtual memory grew by $((size1 - size0)) kB"
ok "virtual memory unchanged by the refusal (+$((size1 - size0)) kB)"
# images made by hand (fc_mkimg: femto build refuses such sizes) declaring a 4 GiB - 8 .bss,
# or a 4 GiB - 16 stack: refused from the header (the .bss beside the 512 B stack every instance
# gets), virtual memory unchanged
mkimg=$(dirname "$FEMTO")/fc_mkimg
[ -x "$mkimg" ] || fail "no $mkimg (tests/runtime builds it)"
printf '\267\000\000\000\000\000\000\000\225\000\000\000\000\000\000\000' >"$T/ret0.bin"
"$mkimg" "$T/ret0.bin" main "$T/4g.img" 0xfffffff8 || fail "mkimg 4 GiB .bss"
"$mkimg" "$T/ret0.bin" main "$T/4gstack.img" 0 0xfffffff0 || fail "mkimg 4 GiB stack"
expect "a 4 GiB .bss: 4.03 from the header" '^4\.03 one instance needs 4294967800 bytes of RAM .* tenant mallory may use 65536 per instance' \
    "$(m 4g m4g 1 --hook sched)"
expect "a 4 GiB stack: 4.03 from the header" '^4\.03 one instance needs 4294967280 bytes of RAM .* tenant mallory may use 65536 per instance' \
    "$(m 4gstack m4gs 1 --hook sched)"
size2=$(vm VmSize)
[ $((size2 - size0)) -lt 8192 ] || fail "virtual memory grew by $((size2 - size0)) kB"
ok "virtual memory unchanged by these refusals either (+$((size2 - size0)) kB)"
expect "40 KB .bss on two hooks fits in 96 KiB" '^2\.01 installed mallory/m40 seq 1 .*2 hooks' "$(m 40k m40 1 --hook sched --hook other)"
expect "a third 40 KB instance: 4.03 (total RAM)" "^4\\.03 1 instance of 40[0-9]+ bytes beside the 8[0-9]+ in use exceed tenant mallory's 98304" \
    "$(m 40k m40b 1 --hook sched)"
expect "replacing it on two hooks: the old instances do not count (a swap holds at most twice the quota)" '^2\.04 replaced mallory/m40 seq 2' "$(m 40k m40 2 --hook sched --hook other)"
expect "with one hook the replacement fits" '^2\.04 replaced mallory/m40 seq 3' "$(m 40k m40 3 --hook sched)"

# row 6: slots and names
expect "mallory's second container" '^2\.01' "$(m small m1 1 --hook sched)"
expect "and third" '^2\.01' "$(m small m2 1 --hook sched)"
expect "a fourth: 4.03, her quota of 3 slots" '^4\.03 tenant mallory has 3 containers, its quota' "$(m small m3 1 --hook sched)"
sign "$T/small.img" -k "$T/alice.key" -t alice -n a1 -s 1 --hook sched -o "$T/a1.env"
expect "alice still installs" '^2\.01 installed alice/a1' "$(req put "$U/deploy" "$T/a1.env")"
sign -k "$T/mallory.key" -t mallory -n m1 -s 2 --op remove -o "$T/rm.env"
expect "mallory removes m1" '^2\.02 removed mallory/m1' "$(req put "$U/deploy" "$T/rm.env")"
sign "$T/small.img" -k "$T/alice.key" -t alice -n m1 -s 1 --hook sched -o "$T/a-m1.env"
expect "the name is free again: alice takes m1" '^2\.01 installed alice/m1' "$(req put "$U/deploy" "$T/a-m1.env")"
sign -k "$T/alice.key" -t alice -n m1 -s 2 --op remove -o "$T/a-rm.env"
expect "alice removes it" '^2\.02' "$(req put "$U/deploy" "$T/a-rm.env")"
sign "$T/small.img" -k "$T/mallory.key" -t mallory -n m1 -s 1 --hook sched -o "$T/m1.1.env"
expect "mallory's old m1 envelope is still a replay (her record kept): 4.09" '^4\.09 sequence 1 is not above 2' "$(req put "$U/deploy" "$T/m1.1.env")"
# names_max=4: m40, m1 (removed), m2, m5 are her 4 records; a fifth name pushes out the
# lowest record of a name not in use (m1's) and raises her floor to its sequence
expect "a fourth record (m5)" '^2\.01' "$(m small m5 3 --hook sched)"
cp "$T/m.env" "$T/m5.3.env"
sign -k "$T/mallory.key" -t mallory -n m5 -s 4 --op remove -o "$T/rm5.env"
expect "removed again" '^2\.02' "$(req put "$U/deploy" "$T/rm5.env")"
expect "a fifth name replaces the removed m1's record" '^2\.01 installed mallory/m6' "$(m small m6 5 --hook sched)"
grep -q '^floor mallory 2$' "$T/state/manifest" || fail "manifest has no floor: $(cat "$T/state/manifest")"
ok "the manifest keeps her floor (2)"
expect "the old m1 envelope stays refused through the floor" '^4\.09 sequence 1 is not above 2' "$(req put "$U/deploy" "$T/m1.1.env")"
expect "the removed m5 keeps its record: its install replays 4.09" '^4\.09 sequence 3 is not above 4' "$(req put "$U/deploy" "$T/m5.3.env")"
stop_daemon
start_daemon
expect "after a restart too" '^4\.09 sequence 1 is not above 2' "$(req put "$U/deploy" "$T/m1.1.env")"
stop_daemon
echo "quota: $PASSED checks passed"
