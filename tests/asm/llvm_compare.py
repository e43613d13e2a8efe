#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""femto disasm X.o against llvm-objdump-19 -d X.o, on C files of this folder
compiled with clang-19 -target bpf -O2 at cpu v1, v2, v3 and v4 (femto build's default). The whole output must be
equal (headers, labels, addresses, bytes, text) except for the documented choices:
- 32-bit atomics (opcode c3) print w registers and the fetch forms, as llvm-objdump
  --mattr=+alu32 does (plain llvm-objdump -d misreads or cannot decode them);
- a local call prints its pc-relative target with a sign and the callee's name,
  "call +0x6 <sub>" where LLVM prints "call 0x6" (which reads like helper 6).
Then femto asm of femto disasm X.o gives back each executable section's bytes.
Extra arguments: --sdk DIR then example C files (compiled at v4 with the SDK, as femto
build does).
usage: llvm_compare.py FEMTO SRCDIR [--sdk DIR X.c...]; exit 77 (skipped) without clang or llvm-objdump."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

femto, src = sys.argv[1], sys.argv[2]
clang = shutil.which(os.environ.get("CLANG", "clang-19"))
objdump = shutil.which("llvm-objdump-19")
if not clang or not objdump:
    print("clang-19 or llvm-objdump-19 not found: skipped")
    sys.exit(77)

CASES = [(f, cpu) for f in ("loops.c", "switch_globals.c", "calls_alu32.c") for cpu in ("v1", "v2", "v3", "v4")]
CASES += [("atomics.c", "v3"), ("atomics.c", "v4"), ("calls_alu32.c", "v4 -g")]
if len(sys.argv) > 4 and sys.argv[3] == "--sdk":
    CASES += [(f, "v4 -g -ffreestanding -fno-builtin -nostdlibinc -I" + sys.argv[4]) for f in sys.argv[5:]]
INSN = re.compile(r"^\s*(\d+):\t([0-9a-f]{2}(?: [0-9a-f]{2})*)\t(.*)$")


def run(*cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode:
        sys.exit(f"{' '.join(cmd)}: rc {p.returncode}\n{p.stderr}")
    return p.stdout


fails = compared = normalised = 0
with tempfile.TemporaryDirectory() as tmp:
    for name, cpu in CASES:
        obj = os.path.join(tmp, os.path.basename(name).replace(".c", "-" + cpu.split()[0] + "-%d.o" % len(cpu)))
        run(clang, "-target", "bpf", "-O2", "-mcpu=" + cpu.split()[0], *cpu.split()[1:],
            "-c", os.path.join(src, name), "-o", obj)
        ref = run(objdump, "-d", obj).splitlines()
        ref32 = run(objdump, "-d", "--mattr=+alu32", obj).splitlines()
        mine = run(femto, "disasm", obj).splitlines()
        tag = f"{name} -mcpu={cpu}"
        if len(ref) != len(mine) or len(ref32) != len(ref):
            print(f"FAIL {tag}: {len(mine)} lines, llvm-objdump {len(ref)}")
            fails += 1
            continue
        raw = bytearray()
        for k, (want, want32, got) in enumerate(zip(ref, ref32, mine)):
            m = INSN.match(want)
            if m:
                code = bytes.fromhex(m.group(2))
                raw += code
                if code[0] == 0xc3:
                    want = want32
                    normalised += 1
                elif code[0] == 0x85 and code[1] >> 4 == 1:
                    got = re.sub(r"call [+](0x[0-9a-f]+)", r"call \1", re.sub(r" <[^>]*>$", "", got))
                    normalised += 1
                compared += 1
            if want != got:
                print(f"FAIL {tag} line {k + 1}:\n  llvm-objdump: {want!r}\n  femto:        {got!r}")
                fails += 1
        # asm of the listing gives back the bytes
        listing = os.path.join(tmp, "x.s")
        with open(listing, "w") as f:
            f.write("\n".join(mine) + "\n")
        back = subprocess.run([femto, "asm", listing, "-o", "/dev/stdout"], capture_output=True)
        if back.returncode or back.stdout != bytes(raw):
            print(f"FAIL {tag}: femto asm of the listing differs ({back.stderr.decode().strip()})")
            fails += 1
            continue
        # and femto asm reads llvm-objdump's own listing (the alu32 one decodes every
        # atomic; plain llvm-objdump may misread 32-bit fetch atomics)
        for mode, lines in (("--mattr=+alu32", ref32), ("", ref)):
            if mode == "" and any(re.search(r"\tc3 ", line) for line in ref):
                continue
            back = subprocess.run([femto, "asm", "-", "-o", "/dev/stdout"],
                                  input=("\n".join(lines) + "\n").encode(), capture_output=True)
            if back.returncode or back.stdout != bytes(raw):
                print(f"FAIL {tag}: femto asm of llvm-objdump {mode} differs "
                      f"({back.stderr.decode().strip()})")
                fails += 1
print(f"{len(CASES)} objects, {compared} instructions compared with llvm-objdump "
      f"({normalised} under the documented choices), {fails} failures")
if compared < 300:
    print("FAIL: too few instructions compared")
    fails += 1
sys.exit(1 if fails else 0)
