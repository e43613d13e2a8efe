#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""femto asm / femto disasm on the command line: help, usage errors and exit codes,
assembly errors with FILE:LINE, malformed inputs refused without a crash, --hex,
and an image made by femto build disassembled with its entry points as labels.
usage: cli_test.py FEMTO SRCDIR"""
import os
import subprocess
import sys
import tempfile

femto, src = sys.argv[1], sys.argv[2]
passed = failed = 0


def check(what, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what} {detail}")


def femto_run(*args, stdin=None):
    return subprocess.run([femto, *args], input=stdin, capture_output=True)


with tempfile.TemporaryDirectory() as tmp:
    def path(name, content=None):
        p = os.path.join(tmp, name)
        if content is not None:
            with open(p, "wb" if isinstance(content, bytes) else "w") as f:
                f.write(content)
        return p

    for cmd in ("asm", "disasm"):
        r = femto_run(cmd, "--help")
        check(f"{cmd} --help", r.returncode == 0 and b"usage: femto " + cmd.encode() in r.stdout)
        check(f"{cmd} without FILE is a usage error", femto_run(cmd).returncode == 2)
        check(f"{cmd} --bogus is a usage error", femto_run(cmd, "--bogus", "x").returncode == 2)
        check(f"{cmd} of a missing file is an I/O error",
              femto_run(cmd, path("missing"), *(["-o", path("o")] if cmd == "asm" else [])).returncode == 3)

    # assembly errors: exit 1, FILE:LINE: error: reason, no output left behind
    errors = [
        ("bad mnemonic", "r0 = 0\nfrob r1, 2\nexit\n", 2, "unknown instruction 'frob'"),
        ("bad register", "r0 = 0\nexit\nr11 = 1\n", 3, "bad register 'r11'"),
        ("missing label", "r0 = 0\nif r0 == 0 goto done\nexit\n", 2, "undefined label 'done'"),
        ("bad operand", "r0 = *(u32 *)(r1 + )\n", 1, "offset"),
    ]
    for what, text, line, msg in errors:
        s = path("bad.s", text)
        out = path("bad.bin")
        r = femto_run("asm", s, "-o", out)
        err = r.stderr.decode()
        check(f"asm {what}: exit 1 and {s}:{line}: error: ...{msg}",
              r.returncode == 1 and f"{s}:{line}: error: " in err and msg in err, repr(err))
        check(f"asm {what}: no output file", not os.path.exists(out))

    # --hex and -o
    s = path("ok.s", "main:\n  r0 = 1 ; one\n  exit\n")
    r = femto_run("asm", "--hex", s)
    check("asm --hex", r.returncode == 0 and
          r.stdout == b"b7 00 00 00 01 00 00 00 95 00 00 00 00 00 00 00\n", repr(r.stdout))
    out = path("ok.bin")
    r = femto_run("asm", s, "-o", out)
    check("asm -o", r.returncode == 0 and open(out, "rb").read() ==
          bytes.fromhex("b700000001000000 9500000000000000"))
    r = femto_run("disasm", "--no-addr", out)
    check("disasm --no-addr", r.returncode == 0 and r.stdout == b"\tr0 = 0x1\n\texit\n", repr(r.stdout))
    r = femto_run("disasm", out)
    check("disasm shows slot and bytes", r.stdout ==
          b"       0:\tb7 00 00 00 01 00 00 00\tr0 = 0x1\n       1:\t95 00 00 00 00 00 00 00\texit\n",
          repr(r.stdout))
    r = femto_run("disasm", "--no-bytes", "-", stdin=open(out, "rb").read())
    check("disasm --no-bytes from stdin", r.stdout == b"       0:\tr0 = 0x1\n       1:\texit\n", repr(r.stdout))

    # malformed inputs: refused with a message, never a crash
    bad_inputs = [
        ("ragged raw file", b"\x95\x00\x00"),
        ("truncated ELF", b"\x7fELF\x02\x01\x01" + b"\x00" * 20),
        ("ELF for another machine", open("/bin/sh", "rb").read() if os.path.exists("/bin/sh") else b"\x7fELF"),
        ("corrupt image", b"FCIM" + b"\x01\x00\x40\x00" + b"\xff" * 56),
    ]
    for what, data in bad_inputs:
        r = femto_run("disasm", path("bad.in", data))
        check(f"disasm {what}: exit 1 with a message", r.returncode == 1 and r.stderr, repr(r.stderr[:200]))
    r = femto_run("disasm", "--raw", path("img.in", b"FCIM" + b"\x00" * 4))
    check("disasm --raw reads anything of whole slots", r.returncode == 0 and b".8byte" in r.stdout)

    # an image from femto build: entry points become labels; asm gives the code back
    img = path("loops.img")
    r = femto_run("build", os.path.join(src, "loops.c"), "-o", img)
    if r.returncode == 0:
        r = femto_run("disasm", img)
        text = r.stdout.decode()
        check("disasm of an image", r.returncode == 0 and "file format femto-image" in text and
              "<sum>:" in text and "<fletcher32>:" in text, text[:300])
        back = femto_run("asm", "-", "-o", "/dev/stdout", stdin=r.stdout)
        check("image listing assembles to its code", back.returncode == 0 and len(back.stdout) % 8 == 0 and
              len(back.stdout) > 0 and back.stdout in open(img, "rb").read())
    else:
        check("femto build of loops.c (for the image test)", False, r.stderr.decode())

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
