#!/usr/bin/env python3
"""Records, from a real QEMU 7.2, the property schema of every device type and every user-creatable
object type of qemu-system-x86_64 (issue 11.3), for tools/gen_device_types.py.

Run from the repository root:   python3 tools/qemu72/record_all_types.py
Needs qemu-system-x86_64 7.2 (Debian package qemu-system-x86); the QEMU it starts is quit at the end.
Writes tools/qemu72/all-types.json: for each type, its parent, whether it is abstract, and
qom-list-properties (every type) and device-list-properties (every concrete device type), each entry
as QEMU returned it (name, type, default-value, description); plus the lists of
qom-list-types {implements: device} and {implements: user-creatable}.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from collect import Qmp, header, write  # noqa: E402  (the same QMP driver and JSON layout)

OUT = os.path.join(HERE, "all-types.json")


def names(q, **args):
    return sorted(t["name"] for t in q.cmd("qom-list-types", **args)["return"])


ARGS = ["-nodefaults", "-display", "none", "-S", "-machine", "none", "-accel", "tcg"]


class Robust:
    """Restarts QEMU when a query makes it exit (some types assert when introspected) and records why."""

    def __init__(self):
        self.q = Qmp(ARGS)

    def cmd(self, execute, **arguments):
        """A query; after QEMU exits, once more on a fresh QEMU (a type may kill it after answering)."""
        r = self.once(execute, **arguments)
        if "error" in r and r["error"]["desc"].startswith("QEMU 7.2 "):
            r = self.once(execute, **arguments)
        return r

    def once(self, execute, **arguments):
        import json
        import select
        msg = {"execute": execute, "arguments": arguments} if arguments else {"execute": execute}
        try:
            self.q.p.stdin.write(json.dumps(msg) + "\n")
            self.q.p.stdin.flush()
            while True:
                ready, _, _ = select.select([self.q.p.stdout], [], [], 20)
                if not ready:
                    raise TimeoutError("no answer in 20 s")
                line = self.q.p.stdout.readline()
                if not line:
                    raise RuntimeError(self.q.p.stderr.read().strip() or "QEMU exited")
                j = json.loads(line)
                if "event" not in j:
                    return j
        except (RuntimeError, TimeoutError, BrokenPipeError) as e:
            self.q.p.kill()
            self.q.p.wait()
            print("  %s %s: %s" % (execute, arguments.get("typename", ""), e), file=sys.stderr)
            self.q = Qmp(ARGS)
            why = str(e).strip().splitlines()[-1] if str(e).strip() else type(e).__name__
            return {"error": {"desc": "QEMU 7.2 " + ("hangs" if isinstance(e, TimeoutError) else "exits") + ": " + why}}


def main():
    r0 = Robust()
    q = r0
    try:
        every = {t["name"]: t for t in q.cmd("qom-list-types", abstract=True)["return"]}
        devices = [t for t in names(q, implements="device", abstract=True) if not t.endswith("-cpu")]
        creatable = names(q, implements="user-creatable")
        concrete = set(names(q, implements="device"))
        wanted = set()
        for t in devices + creatable:
            while t and t not in wanted:
                wanted.add(t)
                t = every[t].get("parent")
        types = {}
        for t in sorted(wanted):
            e = {"parent": every[t].get("parent"), "abstract": bool(every[t].get("abstract", False))}
            r = q.cmd("qom-list-properties", typename=t)
            e["qom-list-properties"] = sorted(r.get("return", []), key=lambda x: x["name"]) if "return" in r else {"error": r["error"]["desc"]}
            if t in concrete:
                r = q.cmd("device-list-properties", typename=t)
                e["device-list-properties"] = sorted(r.get("return", []), key=lambda x: x["name"]) if "return" in r else {"error": r["error"]["desc"]}
            types[t] = e
        d = header(q.q, ["qom-list-types {abstract: true}", "qom-list-types {implements: device, abstract: true}",
                       "qom-list-types {implements: user-creatable}", "qom-list-types {implements: device}",
                       "qom-list-properties {typename} for every device and user-creatable type and their ancestors",
                       "device-list-properties {typename} for every concrete device type"])
        d["generated-by"] = "tools/qemu72/record_all_types.py"
        d["devices"] = devices
        d["user-creatable"] = creatable
        d["types"] = types
        write(OUT, d)
        print("%s: %d types (%d device types, %d user-creatable)" % (os.path.relpath(OUT), len(types), len(devices), len(creatable)))
    finally:
        q.q.close()


if __name__ == "__main__":
    main()
