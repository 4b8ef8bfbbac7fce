#!/usr/bin/env python3
"""Collect facts from a real QEMU 7.2 over QMP, for the machine-data generator.

Run from the repository root:   python3 tools/qemu72/collect.py [MACHINE...] [--properties-only]
(--properties-only: keep the recorded walks, collect types.json, machines.json and properties.json
for the types of graphs/ and graphs-defaults/)
Needs qemu-system-x86_64 7.2 (Debian package qemu-system-x86). Nothing else in the project needs QEMU:
the replies are stored under tools/qemu72/ and the generator (tools/gen_machines.py) reads them.

What it writes (each file records the QEMU command line, the QMP commands and QEMU's version):
  types.json                 qom-list-types {abstract: true}: every type with its parent
  machines.json              query-machines
  properties.json            per type: qom-list-properties (and device-list-properties for concrete
                             devices) for every compat driver, every type found in a default device
                             graph, every machine type, and all their ancestors
  graphs/<machine>.json      the composition tree under /machine of `-nodefaults -S -machine <machine>`:
                             for every object reached through child<> properties (memory-region and irq
                             objects skipped, as in ../shared/qemu/machines/raw72), its type, its
                             children, the paths its link<> properties point to and every other
                             property's qom-get value

Values are stored as QEMU returned them; qom-get errors are stored as {"error": desc}.
"""
import json
import os
import re
import subprocess
import sys

QEMU = "qemu-system-x86_64"
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "qemu", "machines")
SKIP_TYPES = {"memory-region", "irq"}
# CPUID words derived from the CPU's feature properties (not settable, 2 KB each): left out to keep the
# graphs small; every feature property they are derived from is kept.
SKIP_VALUES = {"feature-words", "filtered-features"}
# Creating a microvm-machine instance from a running QEMU registers a machine-init-done notifier that
# runs at once and asserts (acpi_setup_microvm: x86ms->fw_cfg); its properties come from the walk.
NO_INSTANCE = {"microvm-machine"}


class Qmp:
    """One QEMU process driven over '-qmp stdio'."""

    def __init__(self, args):
        self.argv = [QEMU] + args + ["-qmp", "stdio"]
        self.p = subprocess.Popen(self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
        greeting = self._read()
        self.version = greeting["QMP"]["version"]
        self.cmd("qmp_capabilities")

    def _read(self):
        while True:
            line = self.p.stdout.readline()
            if not line:
                raise RuntimeError("QEMU exited: " + self.p.stderr.read())
            j = json.loads(line)
            if "event" not in j:
                return j

    def cmd(self, execute, **arguments):
        msg = {"execute": execute}
        if arguments:
            msg["arguments"] = arguments
        self.p.stdin.write(json.dumps(msg) + "\n")
        self.p.stdin.flush()
        return self._read()

    def close(self):
        try:
            self.cmd("quit")
        except (RuntimeError, BrokenPipeError):
            pass
        self.p.wait()


def header(q, commands):
    v = q.version
    return {"generated-by": "tools/qemu72/collect.py",
            "qemu": "%d.%d.%d %s" % (v["qemu"]["major"], v["qemu"]["minor"], v["qemu"]["micro"], v.get("package", "")),
            "command": " ".join(q.argv), "qmp": commands}


def write(path, data):
    """JSON with one line per top-level key and per entry of a top-level mapping: compact but diffable."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("{\n")
        keys = sorted(data)
        for i, k in enumerate(keys):
            v = data[k]
            f.write(" %s: " % json.dumps(k))
            if isinstance(v, dict) and v and all(isinstance(x, dict) for x in v.values()):
                f.write("{\n")
                sub = sorted(v)
                for j, sk in enumerate(sub):
                    f.write("  %s: %s%s\n" % (json.dumps(sk), json.dumps(v[sk], sort_keys=True), "," if j < len(sub) - 1 else ""))
                f.write(" }")
            elif isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
                f.write("[\n")
                for j, x in enumerate(v):
                    f.write("  %s%s\n" % (json.dumps(x, sort_keys=True), "," if j < len(v) - 1 else ""))
                f.write(" ]")
            else:
                f.write(json.dumps(v, sort_keys=True))
            f.write(",\n" if i < len(keys) - 1 else "\n")
        f.write("}\n")
    os.replace(tmp, path)


def walk(machine):
    q = Qmp(["-nodefaults", "-display", "none", "-S", "-machine", machine, "-accel", "tcg"])
    objects = {}
    ptypes = {}
    todo = ["/machine"]
    while todo:
        path = todo.pop(0)
        props = q.cmd("qom-list", path=path)["return"]
        obj = {"type": q.cmd("qom-get", path=path, property="type")["return"], "children": {}, "links": {}, "values": {}}
        types_here = ptypes.setdefault(obj["type"], {})
        for p in sorted(props, key=lambda p: p["name"]):
            name, ptype = p["name"], p["type"]
            types_here[name] = ptype
            if name == "type" or name in SKIP_VALUES:
                continue
            if ptype.startswith("child<"):
                child = path.rstrip("/") + "/" + name
                ctype = q.cmd("qom-get", path=child, property="type")["return"]
                obj["children"][name] = ctype
                if ctype not in SKIP_TYPES:
                    todo.append(child)
                continue
            r = q.cmd("qom-get", path=path, property=name)
            value = r["return"] if "return" in r else {"error": r["error"]["desc"]}
            if ptype.startswith("link<"):
                obj["links"][name] = value
            else:
                obj["values"][name] = value
        objects[path] = obj
    data = header(q, ["qom-list on every object from /machine through child<> properties",
                      "qom-get of every other property (not: " + ", ".join(sorted(SKIP_VALUES)) + ")"])
    data["machine"] = machine
    data["objects"] = objects
    q.close()
    return data, ptypes


def strip(p):
    return {k: v for k, v in p.items() if k != "description"}


def compat_drivers():
    text = open(os.path.join(SHARED, "compat.yaml")).read()
    return set(re.findall(r'driver: "([^"]+)"', text))


def main():
    out = HERE
    q = Qmp(["-nodefaults", "-display", "none", "-S", "-machine", "none", "-accel", "tcg"])
    types = q.cmd("qom-list-types", abstract=True)["return"]
    d = header(q, [{"execute": "qom-list-types", "arguments": {"abstract": True}}])
    d["return"] = sorted(types, key=lambda t: t["name"])
    write(os.path.join(out, "types.json"), d)
    machines = q.cmd("query-machines")["return"]
    d = header(q, [{"execute": "query-machines"}])
    d["return"] = sorted(machines, key=lambda m: m["name"])
    write(os.path.join(out, "machines.json"), d)
    q.close()

    names = sorted(m["name"] for m in machines)
    properties_only = "--properties-only" in sys.argv[1:]
    if len(sys.argv) > 1:
        names = [n for n in names if n in sys.argv[1:]]
    graph_types = set()
    seen_ptypes = {}
    if properties_only:
        # the walks stay as recorded; the types come from them and from the walks with default
        # devices (collect_defaults.py)
        names = []
        for sub in ("graphs", "graphs-defaults"):
            base = os.path.join(out, sub)
            for fn in sorted(os.listdir(base)) if os.path.isdir(base) else []:
                with open(os.path.join(base, fn)) as fh:
                    for o in json.load(fh)["objects"].values():
                        graph_types.add(o["type"])
                        graph_types.update(o["children"].values())
    for name in names:
        print("walking", name, file=sys.stderr)
        g, ptypes = walk(name)
        write(os.path.join(out, "graphs", name + ".json"), g)
        for o in g["objects"].values():
            graph_types.add(o["type"])
            graph_types.update(o["children"].values())
        for t, m in ptypes.items():
            seen_ptypes.setdefault(t, {}).update(m)
    if not properties_only:
        d = {"generated-by": "tools/qemu72/collect.py", "qmp": ["qom-list of every object in graphs/*.json"],
             "note": "property name -> type as qom-list reports it on live objects, by object type",
             "types": seen_ptypes}
        write(os.path.join(out, "graph-property-types.json"), d)

    parent = {t["name"]: t.get("parent") for t in types}
    abstract = {t["name"]: t.get("abstract", False) for t in types}
    wanted = set()
    for n in compat_drivers() | graph_types | {m["name"] + "-machine" for m in machines}:
        while n and n in parent and n not in wanted:
            wanted.add(n)
            n = parent[n]
    device_types = set()
    for n in wanted:
        c = n
        while c:
            if c == "device":
                device_types.add(n)
            c = parent.get(c)
    q = Qmp(["-nodefaults", "-display", "none", "-S", "-machine", "none", "-accel", "tcg"])
    replies = {}
    for n in sorted(wanted):
        entry = {}
        if n not in NO_INSTANCE:
            r = q.cmd("qom-list-properties", typename=n)
            entry["qom"] = r.get("return", {"error": r.get("error", {}).get("desc")})
        if n in device_types and not abstract[n]:
            r = q.cmd("device-list-properties", typename=n)
            entry["device"] = r.get("return", {"error": r.get("error", {}).get("desc")})
        replies[n] = entry
    props = {}
    for n in sorted(wanted):
        entry = {"parent": parent[n], "abstract": abstract[n]}
        inherited = {}
        if parent[n] in replies and isinstance(replies[parent[n]].get("qom"), list):
            inherited = {p["name"]: strip(p) for p in replies[parent[n]]["qom"]}
        qom = replies[n].get("qom")
        if isinstance(qom, list):
            mine = {p["name"]: strip(p) for p in qom}
            entry["qom-list-properties"] = [mine[k] for k in sorted(mine) if inherited.get(k) != mine[k]]
            gone = sorted(set(inherited) - set(mine))
            if gone:
                entry["qom-list-properties-not-inherited"] = gone
        elif qom is not None:
            entry["qom-list-properties"] = qom
        dev = replies[n].get("device")
        if isinstance(dev, list):
            base = {p["name"]: strip(p) for p in qom} if isinstance(qom, list) else {}
            entry["device-list-properties"] = sorted((strip(p) for p in dev if base.get(p["name"]) != strip(p)),
                                                     key=lambda p: p["name"])
        elif dev is not None:
            entry["device-list-properties"] = dev
        props[n] = entry
    d = header(q, ["qom-list-properties {typename} for every type below",
                   "device-list-properties {typename} for every concrete device type below"])
    d["condensed"] = ("descriptions dropped; qom-list-properties keeps only the entries that differ from the parent "
                      "type's reply (qom-list-properties-not-inherited: names the parent has and this type does not); "
                      "device-list-properties keeps only the entries that differ from the type's own "
                      "qom-list-properties reply")
    d["types"] = props
    write(os.path.join(out, "properties.json"), d)
    q.close()


if __name__ == "__main__":
    main()
