#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Every conformance program through the femto command line: femto disasm
(in each layout), then femto asm, must give back the same bytes.
usage: roundtrip.py FEMTO CONFORMANCE_DIR"""
import glob
import os
import subprocess
import sys
import tempfile

femto, confdir = sys.argv[1], sys.argv[2]
tests = sorted(glob.glob(os.path.join(confdir, "*.test")))
if len(tests) < 300:
    sys.exit(f"expected the conformance suite in {confdir}, found {len(tests)} tests")
layouts = [[], ["--no-bytes"], ["--no-addr"]]
ok = bad = 0
with tempfile.TemporaryDirectory() as tmp:
    raw = os.path.join(tmp, "p.bin")
    for path in tests:
        program = None
        with open(path) as f:
            for line in f:
                if line.startswith("program "):
                    program = bytes.fromhex(line[8:])
        with open(raw, "wb") as f:
            f.write(program)
        for layout in layouts:
            dis = subprocess.run([femto, "disasm", "--raw", *layout, raw],
                                 capture_output=True, text=True)
            back = subprocess.run([femto, "asm", "-", "-o", "/dev/stdout"], input=dis.stdout.encode(),
                                  capture_output=True)
            if dis.returncode or back.returncode or back.stdout != program:
                bad += 1
                print(f"FAIL {os.path.basename(path)} {layout}: disasm rc {dis.returncode} "
                      f"asm rc {back.returncode} {back.stderr.decode().strip()}")
            else:
                ok += 1
print(f"{len(tests)} programs, {ok} round trips ok, {bad} failed")
sys.exit(1 if bad else 0)
