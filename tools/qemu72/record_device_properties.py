#!/usr/bin/env python3
"""Records QEMU 7.2's device-list-properties for every device type its `-device help` lists
(tests/qemu72/device-help.txt, recorded by tools/qemu72/record-device-help.sh): the facts QEMU 7.2's own
`-device T,help` prints (qdev_device_help formats exactly this list), so that Machina's `-device T,help`
can print the same from data, and be compared with the recorded help text.

Run from the repository root:   python3 tools/qemu72/record_device_properties.py
Writes tools/qemu72/device-properties.json: {"types": {T: [{name, type, description?, default-value?}, ...]}},
each list as QMP returns it. The x86 CPU types share most of their list: a CPU type's entry is
{"like": "base-x86_64-cpu", "differs": [...], "lacks": [...]}, the properties whose facts differ from the
base type's, and the ones it does not have.
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from collect import Qmp, header, write  # noqa: E402

LIST = os.path.join(HERE, "..", "..", "tests", "qemu72", "device-help.txt")
OUT = os.path.join(HERE, "device-properties.json")
BASE_CPU = "base-x86_64-cpu"


def main():
    names = re.findall(r'^name "([^"]+)"', open(LIST).read(), re.M)
    q = Qmp(["-nodefaults", "-display", "none", "-S", "-machine", "none", "-accel", "tcg"])
    raw = {}
    for n in sorted(names):
        r = q.cmd("device-list-properties", typename=n)
        if "return" not in r:
            sys.exit("%s: %s" % (n, r))
        raw[n] = r["return"]
    data = header(q, ["device-list-properties"])
    q.close()
    base = {p["name"]: p for p in raw[BASE_CPU]}
    types = {}
    for n, props in raw.items():
        if n.endswith("-x86_64-cpu") and n != BASE_CPU:
            mine = {p["name"]: p for p in props}
            types[n] = {"like": BASE_CPU,
                        "differs": [p for p in props if base.get(p["name"]) != p],
                        "lacks": sorted(k for k in base if k not in mine)}
        else:
            types[n] = props
    data["generated-by"] = "tools/qemu72/record_device_properties.py"
    data["types"] = types
    write(OUT, data)
    print("%s: %d types" % (os.path.relpath(OUT), len(types)))


if __name__ == "__main__":
    main()
