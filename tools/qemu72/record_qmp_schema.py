#!/usr/bin/env python3
"""Records QEMU 7.2's QAPI schema as its QMP reports it (query-qmp-schema), for the checks that follow
QEMU's QAPI types where QOM introspection is vaguer (a uint16 list is "int" in qom-list-properties; QAPI's
ObjectOptions says ['uint16']): tools/gen_device_types.py reads it.

Run from the repository root:   python3 tools/qemu72/record_qmp_schema.py
Needs qemu-system-x86_64 7.2 (Debian package qemu-system-x86). Writes tools/qemu72/qmp-schema.json.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from collect import Qmp, header, write  # noqa: E402

OUT = os.path.join(HERE, "qmp-schema.json")


def main():
    q = Qmp(["-nodefaults", "-display", "none", "-S", "-machine", "none", "-accel", "tcg"])
    schema = q.cmd("query-qmp-schema")["return"]
    data = header(q, ["query-qmp-schema"])
    data["generated-by"] = "tools/qemu72/record_qmp_schema.py"
    data["schema"] = sorted(schema, key=lambda e: (e["meta-type"], e["name"]))
    q.close()
    write(OUT, data)
    print("%s: %d entities" % (os.path.relpath(OUT), len(schema)))


if __name__ == "__main__":
    main()
