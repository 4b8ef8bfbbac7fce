#!/usr/bin/env python3
"""Writes tools/qemu72/device-classes.json: for every device type QEMU 7.2's `-device help` lists, the
category it lists it under and its description (DeviceClass categories and desc), read from the recording
tests/qemu72/device-help.txt (tools/qemu72/record-device-help.sh; QMP reports neither fact).

Which types are user-creatable and in which category is all this file says. The bus each line names
and the alias are not taken from it: Machina derives the bus from the type hierarchy and the alias from
config.DeviceAliases, so DeviceListAgreesWithQemuTest compares those with QEMU's text.

Run from the repository root:   python3 tools/qemu72/gen_device_classes.py
"""
import json
import os
import re

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
SRC = os.path.join(ROOT, "tests", "qemu72", "device-help.txt")
OUT = os.path.join(ROOT, "tools", "qemu72", "device-classes.json")
LINE = re.compile(r'^name "([^"]+)"(?:, bus ([^,]+))?(?:, alias "([^"]+)")?(?:, desc "(.*)")?$')


def main():
    categories, types, cat = [], {}, None
    for line in open(SRC, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line:
            continue
        if line.endswith(" devices:"):
            cat = line[: -len(" devices:")]
            categories.append(cat)
            continue
        m = LINE.match(line)
        if not m or cat is None:
            raise SystemExit("%s: not a -device help line: %r" % (SRC, line))
        entry = {"category": cat}
        if m.group(4) is not None:
            entry["desc"] = m.group(4)
        if m.group(1) in types:
            raise SystemExit("%s: %s listed twice" % (SRC, m.group(1)))
        types[m.group(1)] = entry
    data = {"qemu": "7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)",
            "source": "tests/qemu72/device-help.txt (qemu-system-x86_64 -nodefaults -machine none -device help)",
            "generated-by": "tools/qemu72/gen_device_classes.py",
            "categories": categories, "types": types}
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print("%s: %d types in %d categories" % (os.path.relpath(OUT, ROOT), len(types), len(categories)))


if __name__ == "__main__":
    main()
