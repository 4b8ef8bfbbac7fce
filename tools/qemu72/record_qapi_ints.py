#!/usr/bin/env python3
"""Records the integer type (int8..int64, uint8..uint64, size) of every integer member under
blockdev-add, netdev_add and object-add, as QEMU 7.2 itself reports it. Introspection
(tools/qemu72/qmp-schema.json) masks them all as "int", but QEMU's messages differ by type: a string for
an int64 is "Invalid parameter type for 'x', expected: integer", for a uint64 or size "Parameter 'x'
expects uint64"; too large a value for a narrow type is "Parameter 'x' expects uint16"; and only a size
takes "1K" on the key=value command line ("Parameter 'x' expects integer" otherwise).

Each member is reached with the smallest arguments the visit accepts up to it (mandatory members before
it filled with a value of their type), then probed over QMP (JSON) and, for the size question, on the
-blockdev/-object key=value command line. QEMU stops at the first error, so the probe member's error is
what it reports.

Run from the repository root:   python3 tools/qemu72/record_qapi_ints.py
Writes tools/qemu72/qapi-int-types.json: {"TYPE.member": "uint32", ...} with TYPE the masked name of the
schema's object type (an array element is "TYPE.member[]").
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from collect import Qmp, header, write  # noqa: E402

OUT = os.path.join(HERE, "qapi-int-types.json")
SCHEMA = {e["name"]: e for e in json.load(open(os.path.join(HERE, "qmp-schema.json")))["schema"]}
QEMU_ARGS = ["-nodefaults", "-display", "none", "-S", "-machine", "none", "-accel", "tcg"]
ROOTS = {"blockdev-add": "-blockdev", "netdev_add": "-netdev", "object-add": "-object"}


def dummy(t, depth=0):
    e = SCHEMA.get(t)
    mt = e["meta-type"]
    if mt == "builtin":
        return {"string": "x", "int": 0, "number": 0, "boolean": False, "null": None, "value": 0}[e["json-type"]]
    if mt == "enum":
        return e["values"][0]
    if mt == "array":
        return []
    if mt == "alternate":
        # a scalar branch where there is one (BlockdevRef's node name), not a whole nested node
        scalar = [m["type"] for m in e["members"] if SCHEMA[m["type"]]["meta-type"] in ("builtin", "enum")]
        return dummy((scalar or [e["members"][0]["type"]])[0], depth)
    out = {}
    fill(e, out, None, depth + 1)
    return out


def fill(e, out, steps, depth):
    """Mandatory members of struct e (and of the variant its tag picks) into out, following steps."""
    step = steps[0] if steps else None
    for m in e["members"]:
        if step and step[0] == "member" and step[1] == m["name"]:
            continue
        if e.get("tag") == m["name"] and step and step[0] == "variant":
            out[m["name"]] = step[1]
            continue
        if "default" not in m and depth < 8:
            out[m["name"]] = dummy(m["type"], depth)
    if "tag" in e:
        case = out.get(e["tag"])
        for v in e.get("variants", []):
            if v["case"] == case:
                fill(SCHEMA[v["type"]], out, steps[1:] if step and step[0] == "variant" else steps, depth)
                return


def paths(root):
    """(type, member, steps from the root) for every int member reachable from root."""
    found, seen = [], set()

    def walk(t, steps):
        e = SCHEMA.get(t)
        if e is None or (t, e["meta-type"]) in seen:
            return
        seen.add((t, e["meta-type"]))
        if e["meta-type"] == "object":
            for m in e["members"]:
                mt = SCHEMA[m["type"]]
                if mt["meta-type"] == "builtin" and mt["json-type"] == "int":
                    found.append((t, m["name"], steps + [("member", m["name"])]))
                elif mt["meta-type"] == "array" and SCHEMA[mt["element-type"]].get("json-type") == "int":
                    found.append((t, m["name"] + "[]", steps + [("member", m["name"]), ("index", 0)]))
                else:
                    walk(m["type"], steps + [("member", m["name"])])
            for v in e.get("variants", []):
                walk(v["type"], steps + [("variant", v["case"])])
        elif e["meta-type"] == "array":
            walk(e["element-type"], steps + [("index", 0)])
        elif e["meta-type"] == "alternate":
            for m in e["members"]:
                if SCHEMA[m["type"]]["meta-type"] == "object":
                    walk(m["type"], steps)

    walk(root, [])
    return found


def build(root, steps, probe):
    """Arguments reaching the probe along steps."""
    def at(t, steps):
        e = SCHEMA[t]
        if e["meta-type"] == "alternate":
            obj = [m["type"] for m in e["members"] if SCHEMA[m["type"]]["meta-type"] == "object"][0]
            return at(obj, steps)
        if e["meta-type"] == "array":
            return [at(e["element-type"], steps[1:])] if steps else [probe]
        if not steps:
            return probe
        out = {}
        fill(e, out, steps, 1)
        # walk to the member step through the variant steps (same dict)
        cur = e
        rest = steps
        while rest and rest[0][0] == "variant":
            cur = SCHEMA[[v["type"] for v in cur["variants"] if v["case"] == rest[0][1]][0]]
            rest = rest[1:]
        name = rest[0][1]
        mtype = [m["type"] for m in cur["members"] if m["name"] == name][0]
        if len(rest) == 1:
            out[name] = probe
        else:
            out[name] = at(mtype, rest[1:])
        return out
    return at(root, steps)


q = None


def main():
    global q
    # probes that pass the visit may create files (a memory-backend-file's mem-path): not in the repository
    os.chdir(tempfile.mkdtemp(prefix="qapi-ints-"))
    q = Qmp(QEMU_ARGS)
    result = {}
    for cmd, option in ROOTS.items():
        root = SCHEMA[cmd]["arg-type"]
        for t, member, steps in paths(root):
            key = t + "." + member
            if key in result:
                continue

            def err(value):
                global q
                try:
                    r = q.cmd(cmd, **build(root, steps, value))
                except (RuntimeError, OSError):
                    # a probe that passed the visit created something QEMU then tripped over: start again
                    q = Qmp(QEMU_ARGS)
                    return ""
                return r.get("error", {}).get("desc", "")

            name = member.rstrip("[]")
            first = err("x")
            if "expected: integer" in first:
                kind = "int"
            elif "expects uint64" in first:
                kind = "uint"
            else:
                print("%s %s: not reached: %s" % (cmd, key, first), file=sys.stderr)
                continue
            width = 64
            for bits, v in ((8, 300), (16, 70000), (32, 1 << 40)):
                if ("expects %s%d" % (kind, bits)) in err(v):
                    width = bits
                    break
            typ = "%s%d" % (kind, width)
            if typ == "uint64" and option != "-netdev":
                # only a size takes a suffix in key=value (the JSON visitor reads it as a uint64)
                args = build(root, steps, "1K")
                # JSON cannot ask this: the same arguments as key=value with dotted keys
                flat = []

                def flatten(prefix, v):
                    if isinstance(v, dict):
                        for k, x in v.items():
                            flatten(prefix + "." + k if prefix else k, x)
                    elif isinstance(v, list):
                        for i, x in enumerate(v):
                            flatten("%s.%d" % (prefix, i), x)
                    else:
                        x = {True: "on", False: "off"}.get(v, v) if isinstance(v, bool) else v
                        flat.append("%s=%s" % (prefix, str(x).replace(",", ",,")))
                flatten("", args)
                try:
                    msg = subprocess.run(["qemu-system-x86_64", "-nodefaults", "-display", "none", "-S", "-machine", "none",
                                          option, ",".join(flat)], capture_output=True, text=True, timeout=5,
                                         stdin=subprocess.DEVNULL).stderr
                except subprocess.TimeoutExpired:
                    msg = ""  # accepted: QEMU went on to wait, stopped (-S)
                if ("'%s' expects integer" % name) in msg or ("'%s' expects a uint64 value" % name) in msg \
                        or ("expects integer" in msg and name in msg):
                    typ = "uint64"
                else:
                    typ = "size"
            result[key] = typ
    data = header(q, list(ROOTS))
    q.close()
    data["generated-by"] = "tools/qemu72/record_qapi_ints.py"
    data["types"] = dict(sorted(result.items(), key=lambda kv: (int(kv[0].split(".")[0]), kv[0])))
    write(OUT, data)
    print("%s: %d integer members" % (os.path.relpath(OUT), len(result)))


if __name__ == "__main__":
    main()
