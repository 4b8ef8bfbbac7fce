#!/usr/bin/env python3
"""Record QEMU 7.2's register-level behaviour of the PC's ISA/interrupt/timer devices over qtest.

    tools/qtest/record.py [SCENARIO.qt ...]     (default: every tools/qtest/scenarios/*.qt)

Each scenario is a list of qtest commands (inb/outb/inw/outw/inl/outl, readb/readw/readl/readq,
writeb/writew/writel/writeq, set_irq_in, irq_intercept_in/out) with '#' comments. Device paths are
written as roles in braces ({pic-master}, {pic-slave}, {pit}, {rtc}, {serial}, {i8042}, {ioapic},
{hpet}, {dma0}, {dma1}); the recorder finds each role's QOM path in the machine's composition tree
(HMP 'info qom-tree') and keeps the role in the transcript, so a replay needs no QEMU paths.

Header lines of a scenario:
    #! machine: pc,hpet=off          the -machine value (default: pc)
    #! args: -rtc base=2020-...      more QEMU arguments (split on spaces)

QEMU runs stopped (-S): no guest code runs and the virtual clock stays at its start value, so every
response is deterministic (the Debian build has no qtest accelerator, hence no clock_step).

The transcript tests/qtest/NAME.txt has a header naming the QEMU version and command line, then
for every command a line "COMMAND => RESPONSE", preceded by the "IRQ raise|lower N" lines QEMU
emitted while executing it. The JUnit replays (dev.machina.hw.QtestReplay) run the same commands on
Machina's models and compare every response and IRQ edge.
"""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCEN_DIR = os.path.join(ROOT, "tools", "qtest", "scenarios")
OUT_DIR = os.path.join(ROOT, "tests", "qtest")
QEMU = "qemu-system-i386"
SCRIPT = "tools/qtest/record.py"
BASE_ARGS = ["-S", "-display", "none", "-nodefaults", "-serial", "null"]

# role -> (QOM type, which instance in tree order)
ROLES = {
    "pic-master": ("isa-i8259", 0), "pic-slave": ("isa-i8259", 1), "pit": ("isa-pit", 0),
    "rtc": ("mc146818rtc", 0), "serial": ("isa-serial", 0), "i8042": ("i8042", 0),
    "ioapic": ("ioapic", 0), "hpet": ("hpet", 0), "dma0": ("i8257", 0), "dma1": ("i8257", 1),
}


def qom_paths(machine, extra):
    """QOM path of every object, by type, in device-index order (device[4] before device[10])."""
    cmd = [QEMU, "-M", machine] + BASE_ARGS + extra + ["-monitor", "stdio"]
    out = subprocess.run(cmd, input="info qom-tree\nquit\n", capture_output=True, text=True, timeout=30).stdout
    out = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", out.replace("\r", ""))
    by_type, stack = {}, []
    for line in out.splitlines():
        m = re.match(r"^( *)/(\S+) \(([^)]+)\)$", line)
        if not m:
            continue
        depth = len(m.group(1)) // 2
        stack[depth:] = [m.group(2)]
        by_type.setdefault(m.group(3), []).append("/" + "/".join(stack))

    def index(p):
        return [int(x) if x.isdigit() else x for x in re.split(r"(\d+)", p)]

    return {t: sorted(ps, key=index) for t, ps in by_type.items()}


def parse(path):
    machine, extra, cmds = "pc", [], []
    with open(path) as f:
        for raw in f:
            line = raw.strip()
            if line.startswith("#! machine:"):
                machine = line.split(":", 1)[1].strip()
            elif line.startswith("#! args:"):
                extra = line.split(":", 1)[1].split()
            elif line and not line.startswith("#"):
                cmds.append(line.split("#", 1)[0].strip())
    return machine, extra, cmds


def record(path):
    name = os.path.splitext(os.path.basename(path))[0]
    machine, extra, cmds = parse(path)
    types = qom_paths(machine, extra)
    roles = {}
    for role, (typ, n) in ROLES.items():
        if len(types.get(typ, [])) > n:
            roles[role] = types[typ][n]
    argv = [QEMU, "-M", machine] + BASE_ARGS + extra + ["-qtest", "stdio"]
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True, bufsize=1)
    version = subprocess.run([QEMU, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    lines = ["# recorded by %s from %s" % (SCRIPT, os.path.relpath(os.path.abspath(path), ROOT)),
             "# %s" % version,
             "# %s" % " ".join(argv), ""]
    for cmd in cmds:
        real = re.sub(r"\{([a-z0-9-]+)\}", lambda m: roles[m.group(1)], cmd)
        proc.stdin.write(real + "\n")
        proc.stdin.flush()
        while True:
            resp = proc.stdout.readline()
            if not resp:
                raise SystemExit("%s: QEMU ended at '%s'" % (path, cmd))
            resp = resp.strip()
            if resp.startswith("IRQ "):
                lines.append(resp)
                continue
            break
        if resp.startswith("FAIL"):
            raise SystemExit("%s: QEMU refused '%s': %s" % (path, cmd, resp))
        lines.append("%s => %s" % (cmd, resp))
    proc.stdin.close()
    proc.terminate()  # qtest keeps QEMU running after its input ends
    proc.wait(timeout=30)
    os.makedirs(OUT_DIR, exist_ok=True)
    out = os.path.join(OUT_DIR, name + ".txt")
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("recorded %s (%d commands)" % (os.path.relpath(out, ROOT), len(cmds)))


def main():
    files = sys.argv[1:] or sorted(os.path.join(SCEN_DIR, f) for f in os.listdir(SCEN_DIR) if f.endswith(".qt"))
    for f in files:
        record(f)


if __name__ == "__main__":
    main()
