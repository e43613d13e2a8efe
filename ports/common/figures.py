#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Renders the measured figures of scripts/qemu-tests.sh (figures.txt: "target.key value"
per line) as the tables of docs/embedded.md, replacing what lies between the BEGIN and END
markers there. Run by `scripts/qemu-tests.sh --write-docs`; never edit the tables by hand.

Usage: figures.py FIGURES DOC        (exits 1 on a missing figure or marker)
"""
import sys

BEGIN = "<!-- figures: begin, written by scripts/qemu-tests.sh --write-docs; do not edit -->"
END = "<!-- figures: end -->"
TARGETS = [("cortex-m4", "Cortex-M4"), ("rv32", "RV32"), ("xtensa-lx106", "Xtensa lx106")]


def load(path):
    fig = {}
    with open(path) as f:
        for line in f:
            key, _, value = line.strip().partition(" ")
            if key:
                fig[key] = value
    return fig


class Figures:
    def __init__(self, fig):
        self.fig = fig

    def raw(self, key):
        value = self.fig.get(key)
        if value is None or value in ("", "?"):
            raise KeyError(key)
        return value

    def n(self, target, key):
        return int(self.raw(target + "." + key))

    def n0(self, target, key):
        """A count that may be absent: a profiled function the compiler inlined on a target."""
        value = self.fig.get(target + "." + key)
        return 0 if value in (None, "", "?") else int(value)


def b(v):
    return f"{v:,}"


def ratio(a, n):
    return f"{a / n:.1f}x"


def row(cells):
    return "| " + " | ".join(cells) + " |"


def render(f):
    out = []
    tg = [t for t, _ in TARGETS]
    names = [name for _, name in TARGETS]
    gcc = ", ".join(f"{name} {f.raw(t + '.gcc')}" for t, name in TARGETS)
    out.append(f"Measured {f.raw('measured.date')} by `scripts/qemu-tests.sh` "
               f"(gcc: {gcc}; QEMU {f.raw('qemu.version')}).")
    out.append("")
    out.append("### Flash and RAM (-Os unless noted)")
    out.append("")
    out.append(row([""] + [c for name in names for c in (name + " flash", "RAM")]))
    out.append(row(["---"] * (1 + 2 * len(tg))))
    lines = [
        ("application without the runtime", "app.flash", "app.ram", False),
        ("with the runtime, compact interpreter", "compact.fw.flash", "compact.fw.ram", False),
        ("**runtime's cost, compact**", "compact.cost.flash", "compact.cost.ram", True),
        ("runtime's cost, fast interpreter", "fast.cost.flash", "fast.cost.ram", False),
        ("runtime's cost, fast, core and runtime at -O2", "fast-o2.cost.flash", "fast-o2.cost.ram",
         False),
    ]
    for label, kf, kr, bold in lines:
        cells = [label]
        for t in tg:
            v = b(f.n(t, kf))
            cells += [f"**{v}**" if bold else v, b(f.n(t, kr))]
        out.append(row(cells))
    out.append("")
    out.append("Where the compact build's flash goes (bytes, linker map; code includes Xtensa's "
               "literal pools):")
    out.append("")
    out.append(row(["object"] + names))
    out.append(row(["---"] * (1 + len(tg))))

    def obj_row(label, objs, bold=False):
        cells = [label]
        for t in tg:
            v = b(sum(f.n(t, "compact.obj." + o) for o in objs))
            cells.append(f"**{v}**" if bold else v)
        out.append(row(cells))

    obj_row("`interp_compact.o` (interpreter)", ["interp_compact"])
    obj_row("`verify.o` (verifier)", ["verify"])
    out.append(row(["**interpreter + verifier**"] +
                   [f"**{b(f.n(t, 'compact.interp') + f.n(t, 'compact.verify'))}** "
                    f"({b(f.n(t, 'compact.iv.text'))} code)" for t in tg]))
    obj_row("`vm.o` (init, translate)", ["vm"])
    obj_row("`image.o` (image parser)", ["image"])
    obj_row("`err.o` (error strings)", ["err"])
    out.append(row(["`runtime.o`, `hook.o`, `store.o`"] +
                   [" + ".join(b(f.n(t, "compact.obj." + o)) for o in ("runtime", "hook", "store"))
                    for t in tg]))
    obj_row("`helpers.o` (standard helpers)", ["helpers"])
    obj_row("`port_board.o`", ["port_board"])
    cells = ["libc/libgcc pulled in (and glue)"]
    for t in tg:
        rest, own = f.n(t, "compact.obj.rest"), f.n(t, "compact.obj.libgcc_standins")
        cells.append(b(rest) + (f" ({b(own)} of it the firmware's libgcc stand-ins)" if own else ""))
    out.append(row(cells))
    out.append("")
    out.append("The fast interpreter (`interp.o` + `specialise.o`) at -Os: " +
               ", ".join(f"{b(f.n(t, 'fast.interp'))} B on {name}" for t, name in TARGETS) + ".")
    m4 = f.n("cortex-m4", "compact.iv.text")
    m4all = f.n("cortex-m4", "compact.interp") + f.n("cortex-m4", "compact.verify")
    def met(ok):
        return "**met**" if ok else "**not met**"

    out.append(f'Target "interpreter + verifier ≤ 3,072 B of .text + .rodata on Cortex-M4" '
               f"(issue #17): {b(m4all)} B ({met(m4all <= 3072)}; {b(m4)} B of it code).")
    out.append("")
    out.append("### C stack")
    out.append("")
    out.append(row([""] + [c for name in names for c in (name + " compact", "fast")]))
    out.append(row(["---"] * (1 + 2 * len(tg))))
    for label, key in [("`fc_vm_run` frame (`-fstack-usage`)", "stack.vm_run"),
                       ("verifier, every frame of `verify.o` added (a bound on its call chain)", "stack.verify"),
                       ("measured: `fc_container_run` of Fletcher32", "stack.container_run"),
                       ("measured: `fc_hook_fire`, 2 containers calling store helpers",
                        "stack.hook_fire")]:
        out.append(row([label] + [b(f.n(t, v + "." + key)) for t in tg for v in ("compact", "fast")]))
    out.append("")
    out.append("### Per-instance RAM")
    out.append("")
    out.append(row(["", *names]))
    out.append(row(["---"] * (1 + len(tg))))
    for label, key in [("`sizeof(fc_container_t)`", "sizeof.fc_container_t"),
                       ("of it `fc_vm_t`", "sizeof.fc_vm_t"),
                       ("**container + its 512 B stack**", "instance_ram"),
                       ("`fc_rt_t`", "sizeof.fc_rt_t"), ("`fc_tenant_t`", "sizeof.fc_tenant_t"),
                       ("`fc_hook_t`", "sizeof.fc_hook_t")]:
        out.append(row([label] + [b(f.n(t, key)) for t in tg]))
    worst = max(f.n(t, "instance_ram") for t in tg)
    out.append("")
    out.append(f'Target "≤ 600 B including the 512 B stack": '
               + ("**met** on every target." if worst <= 600 else f"**not met** (up to {worst} B)."))
    out.append("")
    out.append("### Fletcher32, guest instructions per run (QEMU `-icount shift=0,sleep=off`)")
    out.append("")
    out.append(row([""] + [c for name in names for c in (name, "ratio")]))
    out.append(row(["---"] * (1 + 2 * len(tg))))
    native = {t: f.n(t, "compact.insns.native") for t in tg}
    out.append(row(["native (-Os)"] + [c for t in tg for c in (b(native[t]), "1")]))
    best = None
    for label, key in [("VM, compact interpreter (-Os)", "compact.insns.vm"),
                       ("VM, fast interpreter (-Os)", "fast.insns.vm"),
                       ("VM, fast, specialised copy (-Os)", "fast.insns.specialised"),
                       ("VM, fast, core at -O2", "fast-o2.insns.vm"),
                       ("VM, fast, specialised, core at -O2", "fast-o2.insns.specialised")]:
        out.append(row([label] + [c for t in tg for c in (b(f.n(t, key)),
                                                          ratio(f.n(t, key), native[t]))]))
        r = f.n("cortex-m4", key) / native["cortex-m4"]
        if best is None or r < best[0]:
            best = (r, label)
    out.append("")
    out.append("The counter's check: a loop of " + b(f.n("cortex-m4", "calibration.executed"))
               + " instructions (decrement, branch) was counted as "
               + ", ".join(f"{b(f.n(t, 'calibration.counted'))} on {name}" for t, name in TARGETS)
               + " (qemu-tests.sh requires 0.5%).")
    out.append("")
    out.append(f'Target "≤ 20x native on Cortex-M4": best {best[0]:.1f}x ({best[1]}), '
               + ("**met**." if best[0] <= 20 else "**not met**."))
    cm = f.n("cortex-m4", "compact.insns.vm") / native["cortex-m4"]
    out.append(f'Target "compact interpreter ≤ 40x native on Cortex-M4" (issue #17; the reference '
               f'Femto-Container engine 42.7x): {cm:.1f}x ' + ("(**met**)." if cm <= 40 else "(**not met**)."))
    out.append("")
    out.append("### Where the instructions go (profiling under QEMU)")
    out.append("")
    out.append("`fw-size-rt-compact` (load, verify, one Fletcher32 run, about 1,470 eBPF "
               "instructions), one instruction per translation block, counted by function:")
    out.append("")
    out.append(row(["function", *names]))
    out.append(row(["---"] * (1 + len(tg))))
    for label, fns in [("`fc_vm_run` (decode, operand fetch, dispatch, loads, jumps)", ["fc_vm_run"]),
                       ("`alu` + `shr` (the ALU operations without a fast form: shifts, division, ...)",
                        ["alu", "shr"]),
                       ("`xlate` (a load's or store's window miss: full translation, frame rule, fault cause)",
                        ["xlate"]),
                       ("the verifier (every function of `verify.o`)", ["fc_vm_verify"]),
                       ("`fc_image_checksum` + `fc_image_parse`",
                        ["fc_image_checksum", "fc_image_parse"]),
                       ("native Fletcher32, for scale", ["native_fletcher32"])]:
        out.append(row([label] + [b(sum(f.n0(t, "profile." + fn) for fn in fns)) for t in tg]))
    out.append("")
    out.append(f"On Xtensa the libgcc stand-ins agreed with the host's operators on "
               f"{b(f.n('xtensa-lx106', 'libgcc.pairs'))} operand pairs for each of the 8 functions.")
    return "\n".join(out)


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    try:
        text = render(Figures(load(sys.argv[1])))
    except KeyError as e:
        print(f"figures: no value for {e} in {sys.argv[1]}", file=sys.stderr)
        return 1
    with open(sys.argv[2]) as f:
        doc = f.read()
    a, z = doc.find(BEGIN), doc.find(END)
    if a < 0 or z < a:
        print(f"figures: {sys.argv[2]} lacks the markers", file=sys.stderr)
        return 1
    doc = doc[:a + len(BEGIN)] + "\n" + text + "\n" + doc[z:]
    with open(sys.argv[2], "w") as f:
        f.write(doc)
    print(f"figures: tables of {sys.argv[2]} rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main())
