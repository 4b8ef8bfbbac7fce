#!/usr/bin/env python3
"""Generates machines/qom/qemu72-qom.json: QEMU 7.2's QOM as a management tool probes it, for QMP's
qom-list-types, qom-list-properties and device-list-properties when Machina presents QEMU 7.2
(MACHINA_QEMU_VERSION=7.2; dev.machina.qmp.Qemu72Qom reads it).

    python3 tools/gen_qemu72_qom.py > machines/qom/qemu72-qom.json
    python3 tools/gen_qemu72_qom.py --check   exit 1 if the committed file is not what this writes

Inputs (QEMU 7.2.22's own replies, recorded from qemu-system-x86_64 -machine none):
  tools/qemu72/types.json        qom-list-types {abstract: true}: every type, its parent, abstract or not
                                 (tools/qemu72/collect.py), in the order kept here
  tools/qemu72/all-types.json    qom-list-properties and device-list-properties of every device type and
                                 user-creatable type and their ancestors (tools/qemu72/record_all_types.py)
  tools/qemu72/other-types.json  the interfaces each type implements, and the properties of every other
                                 type and of the CPU models (tools/qemu72/record_other_types.py)

Output:
  types        [{name, parent, abstract, implements}] in types.json's order; implements: the interface types
               qom-list-types {implements: I} lists it under, beyond its ancestors
  properties   {type: {"qom-list-properties": P, "device-list-properties": P}}, P one of
                 [entries]                              QEMU's reply, sorted by name
                 {"like": T, "lacks": [n], "differs": [e]}  T's list without lacks, with differs put in
                 {"error": desc, "class": class}        QEMU's error reply
               A type whose query made QEMU 7.2 exit (an assertion) has no entry for it: Machina answers
               from its own registry there.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUTPUT = os.path.join(ROOT, "machines", "qom", "qemu72-qom.json")
TYPES = os.path.join(HERE, "qemu72", "types.json")
ALL = os.path.join(HERE, "qemu72", "all-types.json")
OTHER = os.path.join(HERE, "qemu72", "other-types.json")
KINDS = ("qom-list-properties", "device-list-properties")


def load(path):
    with open(path) as fh:
        return json.load(fh)


def error_class(desc):
    """The class of an error all-types.json kept only the text of. qmp_qom_list_properties and
    qmp_device_list_properties (QEMU 7.2 qom/qom-qmp-cmds.c) raise ERROR_CLASS_DEVICE_NOT_FOUND for an
    unknown class, GenericError otherwise (other-types.json, which keeps classes, agrees)."""
    if desc.startswith("Class '") or desc.startswith("Device '"):
        return "DeviceNotFound"
    return "GenericError"


def reply(value):
    """A recorded reply as kept here, or None where QEMU 7.2 exited instead of replying."""
    if isinstance(value, dict) and "error" in value:
        if value["error"].startswith("QEMU 7.2 "):
            return None
        return {"error": value["error"], "class": value.get("class") or error_class(value["error"])}
    return value


def generate():
    types = load(TYPES)
    described = load(ALL)
    other = load(OTHER)
    for f in (described, other):
        if f["qemu"] != types["qemu"]:
            raise SystemExit("%s records %s, types.json %s: record them from the same QEMU" % (f["generated-by"], f["qemu"], types["qemu"]))
    implements = {}
    for iface, names in sorted(other["implements"].items()):
        for n in names:
            implements.setdefault(n, []).append(iface)
    parent = {t["name"]: t.get("parent") for t in types["return"]}

    def ancestors(n):
        while n:
            yield n
            n = parent.get(n)

    out_types = []
    for t in types["return"]:
        name = t["name"]
        e = {"name": name}
        if t.get("parent"):
            e["parent"] = t["parent"]
        e["abstract"] = bool(t.get("abstract", False))
        extra = [i for i in implements.get(name, []) if i not in set(ancestors(name))]
        if extra:
            e["implements"] = extra
        out_types.append(e)
    props = {}
    for name in sorted(parent):
        src = other["types"].get(name) or described["types"].get(name)
        if src is None:
            raise SystemExit("no recorded properties for %s: run tools/qemu72/record_other_types.py" % name)
        p = {}
        for k in KINDS:
            if k in src:
                r = reply(src[k])
                if r is not None:
                    p[k] = r
        if p:
            props[name] = p
    buf = ["{\n"]
    buf.append(' "generated-by": "tools/gen_qemu72_qom.py",\n')
    buf.append(' "qemu": %s,\n' % json.dumps(types["qemu"]))
    buf.append(' "sources": ["tools/qemu72/types.json", "tools/qemu72/all-types.json", "tools/qemu72/other-types.json"],\n')
    buf.append(' "types": [\n')
    buf.append(",\n".join("  " + json.dumps(e, sort_keys=True) for e in out_types))
    buf.append("\n ],\n")
    buf.append(' "properties": {\n')
    buf.append(",\n".join("  %s: %s" % (json.dumps(n), json.dumps(props[n], sort_keys=True)) for n in sorted(props)))
    buf.append("\n }\n}\n")
    return "".join(buf)


def main():
    args = sys.argv[1:]
    if args not in ([], ["--check"]):
        sys.stderr.write("usage: python3 tools/gen_qemu72_qom.py [--check] (got %s)\n" % " ".join(args))
        return 2
    text = generate()
    if args == ["--check"]:
        rel = os.path.relpath(OUTPUT, ROOT)
        try:
            with open(OUTPUT) as f:
                same = f.read() == text
        except FileNotFoundError:
            same = False
        if not same:
            print("%s is stale: it is not what tools/gen_qemu72_qom.py writes now "
                  "(python3 tools/gen_qemu72_qom.py > %s)" % (rel, rel))
            return 1
        print("%s is up to date" % rel)
        return 0
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
