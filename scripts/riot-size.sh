#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Flash and RAM femto-containers adds to a RIOT firmware, per module, read
# from the linker map of the tests/riot/sched firmwares scripts/riot-tests.sh
# built (hifive1, microbit: compact interpreter, --gc-sections): the input
# sections kept from each module's objects (flash = .text + .rodata + .data
# image, RAM = .data + .bss), plus the libgcc members only our objects pulled
# in. Compared with the paper's hosting engine (4.7 KiB ROM, 664 B RAM) and
# the issue's target (core + runtime + scheduler hook on microbit <= 8 KiB
# flash, <= 1 KiB RAM beyond the container's own stack).
# Environment: RIOT_OUT (default build-riot). Writes $RIOT_OUT/size-report.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${RIOT_OUT:-$PWD/build-riot}
maps=()
for b in hifive1 microbit; do
  m=$out/bin/sched/$b/fc_riot_sched.map
  [ -f "$m" ] || { echo "riot-size: $m missing (run scripts/riot-tests.sh)"; exit 1; }
  maps+=("$b=$m")
done
# the deployment and CoAP modules exist only in the native64 network app (x86-64 code, for scale)
[ -f "$out/bin/deploy/native64/fc_riot_deploy.map" ] && maps+=("native64-deploy=$out/bin/deploy/native64/fc_riot_deploy.map")
python3 - "${maps[@]}" <<'EOF' | tee "$out/size-report.txt"
import re, sys

MODULES = ["core", "runtime", "port", "sched", "timer", "gcoap", "deploy", "deploy_rules"]

def parse(path):
    text = open(path, errors="replace").read()
    head, _, body = text.partition("Linker script and memory map")
    # libgcc (or libc) members that one of our objects caused to be linked
    ours_pulled = set()
    lines = head.split("\n")
    for i, line in enumerate(lines):
        m = re.match(r"^(\S+\.a)\((\S+)\)\s*$", line)
        if m and i + 1 < len(lines) and "femto-containers_" in lines[i + 1]:
            ours_pulled.add(m.group(2))
    sizes = {k: [0, 0] for k in MODULES + ["libgcc"]}
    pending = None
    for line in body.split("\n"):
        m = re.match(r"^ (\.[\w.$]+|COMMON)\s*$", line)
        if m:
            pending = m.group(1)
            continue
        m = re.match(r"^ (\.[\w.$]+|COMMON)?\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+)\s*$", line)
        if not m:
            pending = None
            continue
        sec = m.group(1) or pending
        pending = None
        if sec is None or int(m.group(2), 16) == 0:
            continue
        size, obj = int(m.group(3), 16), m.group(4)
        mod = re.search(r"femto-containers_(\w+)/", obj)
        if mod and mod.group(1) in sizes:
            key = mod.group(1)
        else:
            mm = re.search(r"\(([^)]+\.o)\)$", obj)
            if not (mm and mm.group(1) in ours_pulled):
                continue
            key = "libgcc"
        if sec.startswith((".text", ".rodata", ".srodata")):
            sizes[key][0] += size
        elif sec.startswith((".data", ".sdata")):
            sizes[key][0] += size
            sizes[key][1] += size
        elif sec.startswith((".bss", ".sbss", "COMMON")):
            sizes[key][1] += size
    # the ISR stack the package raised (sched_cb and ztimer callbacks run containers there)
    m1 = re.search(r"0x([0-9a-f]+)\s+_sstack = \.", body)
    m2 = re.search(r"0x([0-9a-f]+)\s+_estack = \.", body)
    m3 = re.search(r"__stack_size = 0x([0-9a-f]+)", body)
    if m1 and m2:
        sizes["isr"] = [int(m2.group(1), 16) - int(m1.group(1), 16), 512]   # Cortex-M default
    elif m3:
        sizes["isr"] = [int(m3.group(1), 16), 256]                            # RISC-V default
    return sizes

print("femto-containers on RIOT: flash / RAM added per module (bytes, compact interpreter, -Os)")
print("%-36s" % "module" + "".join("%20s" % b.split("=")[0] for b in sys.argv[1:]))
results = {}
for arg in sys.argv[1:]:
    board, path = arg.split("=", 1)
    results[board] = parse(path)
rows = [("core (VM, verifier, image)", ["core"]), ("libgcc pulled in by the core", ["libgcc"]), ("runtime (containers, stores, hooks)", ["runtime"]),
        ("port (ztimer64, irq, stdio, SAUL)", ["port"]), ("hook: scheduler (sched_cb)", ["sched"]),
        ("hook: periodic timer", ["timer"]),
        ("hooks: gcoap /app (native64 only)", ["gcoap"]),
        ("deployment + shared rules (native64 only)", ["deploy", "deploy_rules"]),
        ("core + runtime", ["core", "libgcc", "runtime"]),
        ("core + runtime + port + sched", ["core", "libgcc", "runtime", "port", "sched"])]
for label, keys in rows:
    cells = []
    for board in results:
        f = sum(results[board][k][0] for k in keys)
        r = sum(results[board][k][1] for k in keys)
        cells.append("%20s" % ("%d / %d" % (f, r)))
    print("%-36s" % label + "".join(cells))
for board in results:
    if board.startswith("native64"):
        continue
    s = results[board]
    f = sum(s[k][0] for k in ["core", "libgcc", "runtime", "port", "sched"])
    r = sum(s[k][1] for k in ["core", "libgcc", "runtime", "port", "sched"])
    fr = sum(s[k][0] for k in ["core", "libgcc", "runtime"])
    isr, default = s.get("isr", [0, 0])
    raise_ = max(isr - default, 0)
    print("%s: ISR stack %d B (RIOT's default %d B): +%d B RAM" % (board, isr, default, raise_))
    r += raise_
    print("%s: core+runtime %.1f KiB flash vs the paper's 4.7 KiB ROM; with port and scheduler hook "
          "%.1f KiB flash (%s 8 KiB), %d B RAM with the ISR stack raise (%s 1 KiB)" %
          (board, fr / 1024, f / 1024, "within" if f <= 8192 else "OVER", r,
           "within" if r <= 1024 else "OVER"))
print("(libgcc: the 64-bit arithmetic helpers only our objects pull in, counted with the core;"
      " stores, containers and their stacks are the application's memory: see docs/riot.md)")
EOF
