#!/usr/bin/env python3
"""Record QEMU 7.2's PCI chipset registers (config mechanism #1, config space reset values, BARs,
PAM/SMRAM, PIRQ routing, ACPI PM) over qtest, for the hw.pci differential tests.

    tools/qemu72/record_chipset.py [SCENARIO.qt ...]   (default: every tools/qemu72/chipset/*.qt)

Scenarios use the format of tools/qtest/record.py (whose recorder this reuses) and the
transcripts go to tests/chipset/qemu72/NAME.txt. QEMU is qemu-system-x86_64 (the pc and q35
chipsets are the same in qemu-system-i386), run stopped (-S), so the virtual clock does not move.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tools", "qtest"))
import record  # noqa: E402

record.SCRIPT = "tools/qemu72/record_chipset.py"
record.QEMU = "qemu-system-x86_64"
record.SCEN_DIR = os.path.join(HERE, "chipset")
record.OUT_DIR = os.path.join(ROOT, "tests", "chipset", "qemu72")


def main():
    files = sys.argv[1:] or sorted(os.path.join(record.SCEN_DIR, f)
                                   for f in os.listdir(record.SCEN_DIR) if f.endswith(".qt"))
    for f in files:
        record.record(f)


if __name__ == "__main__":
    main()
