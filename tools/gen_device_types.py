#!/usr/bin/env python3
"""Declares every device type of QEMU 7.2's qemu-system-x86_64 that machines/types/devices.yaml
(tools/gen_machines.py: the types compat arrays and default device graphs need) does not, so that
-device checks, `-device T,help`, `device show` and the config JSON Schema cover them (issue 11.3).

Input: tools/qemu72/all-types.json (qom-list-types, qom-list-properties and device-list-properties of
QEMU 7.2.22 for every device and user-creatable type, recorded by tools/qemu72/record_all_types.py).
Output: machines/types/devices-qemu72.yaml and objects-qemu72.yaml. Each type's properties are the ones QEMU 7.2 reports for it that
its parent does not report the same way (name, type, default); a property whose default QEMU does not
report is default-unknown. Declared is not emulated: a type here has no device model unless one binds it.

    python3 tools/gen_device_types.py
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_machines as g  # noqa: E402  (the facts reader and the YAML helpers are shared)

ROOT = os.path.dirname(HERE)
GENERATOR = "tools/gen_device_types.py"


ALL = os.path.join(HERE, "qemu72", "all-types.json")
DEV_OUT = os.path.join(ROOT, "machines", "types", "devices-qemu72.yaml")
OBJ_OUT = os.path.join(ROOT, "machines", "types", "objects-qemu72.yaml")
OURS = {os.path.basename(DEV_OUT), os.path.basename(OBJ_OUT)}
# Property types that are QEMU enums or qdev string kinds without a declaration here: their values
# are not recorded by introspection, so they are declared as strings (checked by QEMU, not by us).
NAMED_AS_STR = "a QEMU enum or string kind; introspection does not give its values, so declared as a string"


def declared_names():
    names = set(g.BUILTIN)
    d = os.path.join(ROOT, "machines", "types")
    for fn in sorted(os.listdir(d)):
        if fn.endswith(".yaml") and fn not in OURS:
            names |= set(re.findall(r"^  - name: (\S+)", open(os.path.join(d, fn)).read(), re.M))
    return {n.strip('"') for n in names}


TYPE_HELP = os.path.join(ROOT, "tests", "qemu72", "device-type-help.txt")
# Types QEMU 7.2's QMP lists nowhere (qom-list-types leaves them out: their module is loaded only when
# -device names them) but its -device help lists: their parent, from QEMU 7.2's source.
HELP_ONLY = {"virtio-gpu-gl-device": ("virtio-gpu-device", "QEMU 7.2 hw/display/virtio-gpu-gl.c: TYPE_VIRTIO_GPU_GL, parent TYPE_VIRTIO_GPU")}


def type_help():
    """T -> [spec] from QEMU 7.2's `-device T,help` (tools/qemu72/record-device-help.sh): name, type and the
    reported default, as device-list-properties would give them."""
    out, cur = {}, None
    for line in open(TYPE_HELP):
        line = line.rstrip("\n")
        if line.startswith("=== "):
            cur = out.setdefault(line[4:], [])
            continue
        m = re.match(r"^  ([^=\s]+)=<(\S*)>(?:\s+-\s?(.*))?$", line)
        if cur is None or not m:
            continue
        spec = {"name": m.group(1), "type": m.group(2)}
        desc = m.group(3) or ""
        dm = re.search(r"\(default: (.*)\)$", desc)
        if dm:
            spec["default-value"] = json.loads(dm.group(1))
            desc = desc[:dm.start()].strip()
        if desc:
            spec["description"] = desc
        cur.append(spec)
    return out


class All72:
    def __init__(self):
        d = json.load(open(ALL))
        self.types = d["types"]
        self.help = type_help()
        for t, (parent, _) in HELP_ONLY.items():
            if t not in self.types:
                self.types[t] = {"parent": parent, "abstract": False,
                                 "device-list-properties": {"error": "not in QEMU 7.2's qom-list-types"}}
        self.devices = set(d["devices"]) | set(HELP_ONLY)
        self.creatable = set(d["user-creatable"])
        self.qemu = d["qemu"]
        self.facts72 = g.Facts72()

    def parent(self, t):
        return self.types[t]["parent"] if t in self.types else None

    def full(self, t):
        """name -> QEMU's entry: qom-list-properties, overridden by device-list-properties (defaults)."""
        if t not in self.types:
            return {}
        e = self.types[t]
        out = {}
        for key in ("qom-list-properties", "device-list-properties"):
            if isinstance(e.get(key), list):
                for x in e[key]:
                    out[x["name"]] = x
        if self.error(t) and t in self.help:
            for x in self.help[t]:  # QMP could not introspect it: QEMU's -device T,help says the same things
                out.setdefault(x["name"], x)
        return out

    def inherited(self, t):
        """What t and its ancestors report, each name as its farthest ancestor reports it; the data generator's recording
        (tools/qemu72/properties.json) fills in for abstract types whose qom-list-properties lacks
        the qdev properties their concrete subtypes show (pci-device's addr, for one)."""
        out = {}
        while t:
            for src in (self.full(t), self.facts72.full(t) if t in self.facts72.types else {}):
                for n, x in src.items():
                    out[n] = dict(x, owner=t)  # the farthest ancestor that has it: where it is declared
            t = self.parent(t) or (self.facts72.parent(t) if t in self.facts72.types else None)
        return out

    def error(self, t):
        e = self.types.get(t, {})
        for key in ("qom-list-properties", "device-list-properties"):
            if isinstance(e.get(key), dict):
                return e[key]["error"]
        return None


def declared_type(owner, name):
    """The type machines/types/*.yaml gives owner.name, or None (a Java type's is not read here)."""
    d = os.path.join(ROOT, "machines", "types")
    for fn in sorted(os.listdir(d)):
        if fn.endswith(".yaml") and fn not in OURS:
            text = open(os.path.join(d, fn)).read()
            m = re.search(r"^  - name: %s\n(?:    .*\n)*?      - \{name: %s, type: ([^,}]+)" % (re.escape(owner), re.escape(name)), text, re.M)
            if m:
                return m.group(1)
    return None


def differs(spec, old):
    if old is None or old.get("type") != spec.get("type"):
        return True
    return ("default-value" in spec) != ("default-value" in old) or spec.get("default-value") != old.get("default-value")


KNOWN = {"bool", "str", "string", "size", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
         "OnOffAuto"}


def entry(name, spec):
    x = g.prop_entry(name, spec)
    t = x["type"]
    if t in KNOWN or t.startswith("link<") or t in g.ENUMS:
        return x
    x["type"] = "str"
    x.pop("default-unknown", None)
    x["source"] = "QEMU 7.2 reports type %s: %s" % (t, NAMED_AS_STR)
    return x


QMP_SCHEMA = os.path.join(HERE, "qemu72", "qmp-schema.json")
# QOM's introspection reports a QAPI list property as "int"; QAPI's ObjectOptions (query-qmp-schema,
# tools/qemu72/record_qmp_schema.py) says it is an array. Introspection masks integer widths (every
# integer is "int"), so the element type is QEMU 7.2's qapi/qom.json's, named here; the generator checks
# that the recorded schema has an array there.
QAPI_LIST_ELEMENTS = {("thread-context", "cpu-affinity"): "uint16", ("thread-context", "node-affinity"): "uint16"}


def qapi_object_lists():
    """(qom-type, member) -> element type of every array member of object-add's variants."""
    by = {e["name"]: e for e in json.load(open(QMP_SCHEMA))["schema"]}
    args = by[by["object-add"]["arg-type"]]
    out = {}
    for v in args.get("variants", []):
        for m in by[v["type"]].get("members", []):
            t = by.get(m["type"])
            if t and t["meta-type"] == "array":
                out[(v["case"], m["name"])] = t["element-type"]
    return out


def qapi_list_type(owner, name, arrays):
    if (owner, name) not in QAPI_LIST_ELEMENTS:
        return None
    if arrays.get((owner, name)) != "int":
        sys.exit("tools/qemu72/qmp-schema.json has no integer array %s.%s" % (owner, name))
    return "list<%s>" % QAPI_LIST_ELEMENTS[(owner, name)]


def decls_for(f, roots, have):
    arrays = qapi_object_lists()
    wanted = set()
    for t in roots:
        while t and t not in have and t not in wanted:
            wanted.add(t)
            t = f.parent(t)
    decls = {}
    for t in sorted(wanted):
        parent = f.parent(t)
        mine, inherited = f.full(t), f.inherited(parent)
        props = []
        for name in sorted(mine):
            spec = mine[name]
            if not g.usable(spec) or spec["type"].startswith("child<"):
                continue
            old = inherited.get(name)
            if old is not None and old["owner"] in have:
                # declared already (machines/types/*.yaml or in Java, which may type it better: pci-device's
                # addr is pci-devfn there, int32 here): only a different reported default is this type's own
                if not ("default-value" in spec and "default-value" in old and spec["default-value"] != old["default-value"]):
                    continue
                props.append(dict(entry(name, spec), type=declared_type(old["owner"], name) or entry(name, spec)["type"]))
                continue
            listed = qapi_list_type(t, name, arrays)
            if listed:
                props.append({"name": name, "type": listed,
                              "source": "QEMU 7.2 QAPI %s member %s: a list (query-qmp-schema: array; qapi/qom.json: ['%s']);"
                                        " qom-list-properties says int" % (t, name, QAPI_LIST_ELEMENTS[(t, name)])})
                continue
            if not differs(spec, old):
                continue
            props.append(entry(name, spec))
        d = {"name": t, "parent": parent, "abstract": bool(f.types[t]["abstract"]), "properties": props}
        why = f.error(t)
        if why and t in f.help:
            d["source"] = ("QEMU 7.2's QMP cannot introspect it (%s): properties from its -device %s,help "
                           "(tests/qemu72/device-type-help.txt)%s" % (why, t, "; parent: " + HELP_ONLY[t][1] if t in HELP_ONLY else ""))
        elif why:
            d["source"] = "QEMU 7.2 cannot introspect it (%s): properties as far as recorded" % why
        decls[t] = d
    return decls


def emit(path, note, decls):
    g.check_named_types(decls)
    enums, structs = g.used_named_types(decls)
    d = os.path.join(ROOT, "machines", "types")
    for fn in sorted(os.listdir(d)):  # enums are global: one file declares each
        if fn.endswith(".yaml") and fn not in OURS:
            text = open(os.path.join(d, fn)).read()
            enums -= set(re.findall(r"^  (\S+): \{values:", text, re.M))
            structs -= set(re.findall(r"^  (\S+): \{fields:", text, re.M))
    text = g.type_file(note, decls, enums, structs)
    text = text.replace("tools/qemu72/properties.json, tools/qemu72/types.json, ../shared/qemu/machines/compat.yaml",
                        "tools/qemu72/all-types.json (tools/qemu72/record_all_types.py), leaving out what the other "
                        "machines/types/*.yaml declare")
    with open(path, "w") as out:
        out.write(text)
    print("%s: %d types" % (os.path.relpath(path, ROOT), len(decls)))


def main():
    f = All72()
    g.GENERATOR = GENERATOR
    have = declared_names()
    devs = decls_for(f, sorted(t for t in f.devices if not f.types[t]["abstract"]), have)
    emit(DEV_OUT, "Every other device type of QEMU 7.2's qemu-system-x86_64 (devices.yaml has the ones compat arrays "
                  "and default device graphs name). Declared, not emulated.", devs)
    objs = decls_for(f, sorted(f.creatable), have | set(devs))
    emit(OBJ_OUT, "Every other user-creatable object type of QEMU 7.2's qemu-system-x86_64 (-object).", objs)


if __name__ == "__main__":
    main()
