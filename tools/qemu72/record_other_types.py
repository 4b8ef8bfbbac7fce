#!/usr/bin/env python3
"""Records, from a real QEMU 7.2, what tools/qemu72/all-types.json leaves out of the QOM view a management
tool probes (issue 10): the interfaces each type implements and the properties of the types that are
neither devices nor user-creatable (CPU models, machine types, chardevs, accelerators, buses, ...).

Run from the repository root:   python3 tools/qemu72/record_other_types.py
Needs qemu-system-x86_64 7.2 (Debian package qemu-system-x86); the QEMU it starts is quit at the end.
Writes tools/qemu72/other-types.json:
  implements   for every interface type I (a type under "interface"): qom-list-types {implements: I,
               abstract: true}, the names sorted
  types        for every type of qom-list-types {abstract: true} that all-types.json does not describe
               (and every CPU model): qom-list-properties, and device-list-properties for a concrete
               device; each list sorted by name, or, where the list is another type's with a few entries
               changed, {"like": T, "lacks": [names], "differs": [entries]} (the CPU models are x86_64-cpu's
               properties but for a few); QEMU's error as {"error": desc, "class": class} ("class" empty where
               QEMU exited instead of answering)
Read by tools/gen_qemu72_types.py.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from collect import header, write  # noqa: E402  (the same JSON layout)
from record_all_types import Robust  # noqa: E402  (restarts QEMU where a type makes it exit)

OUT = os.path.join(HERE, "other-types.json")
ALL = os.path.join(HERE, "all-types.json")


def ancestors(every, t):
    while t:
        yield t
        t = every[t].get("parent")


def by_name(r):
    if "return" in r:
        return sorted(r["return"], key=lambda x: x["name"])
    return {"error": r["error"]["desc"], "class": r["error"].get("class", "")}


def like(entries, ref_name, ref):
    """entries as a change of ref's list, when that is shorter than the list itself."""
    if not isinstance(entries, list) or not isinstance(ref, list):
        return entries
    mine = {e["name"]: e for e in entries}
    theirs = {e["name"]: e for e in ref}
    lacks = sorted(n for n in theirs if n not in mine)
    differs = [mine[n] for n in sorted(mine) if theirs.get(n) != mine[n]]
    if len(lacks) + len(differs) >= len(entries) // 2:
        return entries
    return {"like": ref_name, "lacks": lacks, "differs": differs}


def main():
    with open(ALL) as fh:
        described = json.load(fh)["types"]
    q = Robust()
    try:
        every = {t["name"]: t for t in q.cmd("qom-list-types", abstract=True)["return"]}
        concrete = {t["name"] for t in q.cmd("qom-list-types", implements="device")["return"]}
        interfaces = sorted(t for t in every if "interface" in ancestors(every, t))
        implements = {i: sorted(t["name"] for t in q.cmd("qom-list-types", implements=i, abstract=True)["return"])
                      for i in interfaces}
        types = {}
        refs = {}
        for t in sorted(every):
            if t in described and not t.endswith("-cpu"):
                continue
            e = {"qom-list-properties": by_name(q.cmd("qom-list-properties", typename=t))}
            if t in concrete:
                e["device-list-properties"] = by_name(q.cmd("device-list-properties", typename=t))
            if t.endswith("-x86_64-cpu") and not every[t].get("abstract"):
                ref = "base-x86_64-cpu"
                if t != ref:
                    refs[t] = ref
            types[t] = e
        for t, ref in refs.items():
            for k in ("qom-list-properties", "device-list-properties"):
                if k in types[t] and k in types[ref]:
                    types[t][k] = like(types[t][k], ref, types[ref][k])
        d = header(q.q, ["qom-list-types {abstract: true}", "qom-list-types {implements: device}",
                         "qom-list-types {implements: I, abstract: true} for every interface I",
                         "qom-list-properties {typename} for every type all-types.json does not describe, and every CPU model",
                         "device-list-properties {typename} for those of them that are concrete devices"])
        d["generated-by"] = "tools/qemu72/record_other_types.py"
        d["implements"] = implements
        d["types"] = types
        write(OUT, d)
        print("%s: %d interfaces, %d types" % (os.path.relpath(OUT), len(implements), len(types)))
    finally:
        q.q.close()


if __name__ == "__main__":
    main()
