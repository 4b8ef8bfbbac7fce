#!/usr/bin/env python3
"""Records what QEMU 7.2's human monitor says about a machine that has not run yet, into
tests/runtime/qemu72/: `info qom-tree` (qom-tree-MACHINE.txt) and `info qtree` (qtree-MACHINE.txt) of
`qemu-system-x86_64 -nodefaults -display none -S -machine MACHINE -accel tcg -qmp stdio`, through QMP's
human-monitor-command; the returned text is written with QEMU's CR LF line ends made LF.

Usage: tools/qemu72/record_monitor.py [MACHINE...]   (default: pc-i440fx-7.2 pc-q35-7.2 isapc)
"""
import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "tests/runtime/qemu72"
COMMANDS = {"qom-tree": "info qom-tree", "qtree": "info qtree"}


def record(machine):
    version = subprocess.run(["qemu-system-x86_64", "--version"], capture_output=True, text=True).stdout
    if "version 7.2" not in version:
        sys.exit("record_monitor: needs QEMU 7.2, found: " + version.splitlines()[0])
    lines = [{"execute": "qmp_capabilities"}]
    lines += [{"execute": "human-monitor-command", "arguments": {"command-line": c}} for c in COMMANDS.values()]
    lines += [{"execute": "quit"}]
    p = subprocess.run(["qemu-system-x86_64", "-nodefaults", "-display", "none", "-S", "-machine", machine,
                        "-accel", "tcg", "-qmp", "stdio"],
                       input="".join(json.dumps(x) + "\n" for x in lines), capture_output=True, text=True, check=True)
    answers = [json.loads(l) for l in p.stdout.splitlines() if l.strip()]
    texts = [a["return"] for a in answers if isinstance(a.get("return"), str)]
    if len(texts) != len(COMMANDS):
        sys.exit("record_monitor: %s: expected %d answers, got %r" % (machine, len(COMMANDS), p.stdout))
    for name, text in zip(COMMANDS, texts):
        (OUT / ("%s-%s.txt" % (name, machine))).write_text(text.replace("\r\n", "\n"))
        print("recorded %s-%s.txt" % (name, machine))


for m in sys.argv[1:] or ["pc-i440fx-7.2", "pc-q35-7.2", "isapc"]:
    record(m)
