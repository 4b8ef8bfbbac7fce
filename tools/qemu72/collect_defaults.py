#!/usr/bin/env python3
"""Walk a real QEMU 7.2's object tree WITH its default devices (no -nodefaults), over QMP.

Run from the repository root:   python3 tools/qemu72/collect_defaults.py [MACHINE...]
Writes tools/qemu72/graphs-defaults/<machine>.json: the composition tree under /machine and the
chardevs under /chardevs, as tools/qemu72/collect.py records it for -nodefaults (every object reached
through child<> properties, its type, children, links and every other property's qom-get value),
plus query-chardev and query-block, so the default devices QEMU adds on its own (serial, parallel,
floppy, VGA, NIC, CD-ROM) can be checked value for value.

The command is `qemu-system-x86_64 -display none -S -machine M -accel tcg -qmp stdio`: -qmp counts as a
monitor option, so QEMU's default monitor (vc:80Cx24C) is not created; the QMP monitor's own chardev
is compat_monitor0 (stdio). Each QEMU is stopped (quit, then killed if it lingers) before the next.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import collect  # noqa: E402

MACHINES = ["pc-i440fx-7.2", "pc-q35-7.2", "pc-i440fx-1.4", "pc-q35-2.4", "isapc"]
ARGS = ["-display", "none", "-S", "-accel", "tcg"]


def walk(machine):
    q = collect.Qmp(ARGS[:2] + ["-S", "-machine", machine, "-accel", "tcg"])
    try:
        objects = {}
        todo = ["/machine", "/chardevs"]
        while todo:
            path = todo.pop(0)
            props = q.cmd("qom-list", path=path)["return"]
            obj = {"type": q.cmd("qom-get", path=path, property="type")["return"], "children": {}, "links": {},
                   "values": {}}
            for p in sorted(props, key=lambda p: p["name"]):
                name, ptype = p["name"], p["type"]
                if name == "type" or name in collect.SKIP_VALUES:
                    continue
                if ptype.startswith("child<"):
                    child = path.rstrip("/") + "/" + name
                    ctype = q.cmd("qom-get", path=child, property="type")["return"]
                    obj["children"][name] = ctype
                    if ctype not in collect.SKIP_TYPES:
                        todo.append(child)
                    continue
                r = q.cmd("qom-get", path=path, property=name)
                value = r["return"] if "return" in r else {"error": r["error"]["desc"]}
                if ptype.startswith("link<"):
                    obj["links"][name] = value
                else:
                    obj["values"][name] = value
            objects[path] = obj
        data = collect.header(q, ["qom-list on every object from /machine and /chardevs through child<> properties",
                                  "qom-get of every other property (not: " + ", ".join(sorted(collect.SKIP_VALUES)) + ")",
                                  "query-chardev", "query-block"])
        data["machine"] = machine
        data["objects"] = objects
        data["query-chardev"] = q.cmd("query-chardev")["return"]
        data["query-block"] = q.cmd("query-block")["return"]
        return data
    finally:
        q.close()


def main():
    names = sys.argv[1:] or MACHINES
    for m in names:
        d = walk(m)
        collect.write(os.path.join(HERE, "graphs-defaults", m + ".json"), d)
        print("%s: %d objects" % (m, len(d["objects"])))


if __name__ == "__main__":
    main()
