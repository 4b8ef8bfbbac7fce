"""Versioned property defaults: a property's default in each QEMU release where it changed.

Facts: tools/qemu-source/defaults-RELEASE.json, read by tools/qemu_source_defaults.py from each
release's source (DEFINE_PROP_* tables, with file and line). Only some releases' full sources could be
read here (SNAPSHOTS); a change between two of them is placed at the release QEMU's compat arrays give:
by QEMU's rule, an entry in hw_compat_X_Y or pc_compat_X_Y keeps the old behaviour for machine types
up to X.Y, so the default changed in the release after X.Y. A change no compat array names is placed at
the first snapshot that shows it, and its source says so.

tools/gen_machines.py calls history() for each declared property and writes what it returns as the
property's `defaults` list in machines/types/*.yaml: [{qemu: release, value: v, source: "..."}], each
entry the default from that release on, until the next entry; before the first entry the property's
`default` (QEMU 7.2's, as the binary reports it) holds.
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
SNAPSHOTS = ["7.2.0", "9.0.0", "9.2.4", "10.2.0"]
# every release from 7.2 on, in order: a machine type X.Y exists from release X.Y on
RELEASES = ["7.2", "8.0", "8.1", "8.2", "9.0", "9.1", "9.2", "10.0", "10.1", "10.2"]
ABSENT = object()
# the property type a DEFINE_PROP_* declares
KIND_TYPES = {"DEFINE_PROP_BOOL": "bool", "DEFINE_PROP_BIT": "bool", "DEFINE_PROP_BIT64": "bool",
              "DEFINE_PROP_ON_OFF_AUTO": "OnOffAuto", "DEFINE_PROP_UINT8": "uint8", "DEFINE_PROP_UINT16": "uint16",
              "DEFINE_PROP_UINT32": "uint32", "DEFINE_PROP_UINT64": "uint64", "DEFINE_PROP_INT32": "int32",
              "DEFINE_PROP_INT64": "int64", "DEFINE_PROP_SIZE": "size"}


def short(release):
    return ".".join(release.split(".")[:2])


def next_release(xy):
    i = RELEASES.index(xy)
    return RELEASES[i + 1] if i + 1 < len(RELEASES) else None


class Facts:
    def __init__(self, compat):
        self.snap = {}
        for r in SNAPSHOTS:
            with open(os.path.join(HERE, "qemu-source", "defaults-%s.json" % r)) as fh:
                self.snap[r] = json.load(fh)["types"]
        # (driver, property) -> [(array name, "X.Y", value)]
        self.compat = {}
        for name, s in compat.items():
            if name.startswith("_") or not s.get("version"):
                continue
            for e in s.get("entries") or []:
                self.compat.setdefault((e["driver"], e["property"]), []).append((name, s["version"], e["value"]))

    def lookup(self, release, t, p):
        """(owner type, fact) of property p of type t in a release, walking parents; None if absent."""
        types = self.snap[release]
        seen = 0
        while t and t in types and seen < 30:
            props = types[t].get("properties") or {}
            if p in props:
                return t, props[p]
            t = types[t].get("parent")
            seen += 1
        return None

    def ancestry(self, t):
        out = []
        types = self.snap["10.2.0"]
        while t and t not in out:
            out.append(t)
            t = types.get(t, {}).get("parent") or self.snap["7.2.0"].get(t, {}).get("parent")
        return out

    def compat_between(self, t, p, lo, hi):
        """Compat entries for t (or an ancestor) and p whose X.Y is in [lo, hi)."""
        out = []
        lo_i, hi_i = RELEASES.index(lo) if lo in RELEASES else -1, RELEASES.index(hi)
        for d in self.ancestry(t):
            for name, xy, value in self.compat.get((d, p), []):
                if xy in RELEASES and lo_i <= RELEASES.index(xy) < hi_i:
                    out.append((name, xy, value))
        return out

    def history(self, t, p, base):
        """The default changes of t.p after QEMU 7.2, as [{qemu, value, source}]. base is the value the
        type data has for 7.2 (ABSENT when 7.2 has no such property or does not report its default)."""
        out = []
        prev_release, prev = "7.2", base
        for r in SNAPSHOTS[1:]:
            hit = self.lookup(r, t, p)
            if hit is None or "default" not in hit[1]:
                continue  # absent in that release, or a default the reader cannot evaluate
            owner, fact = hit
            v = fact["default"]
            if prev is not ABSENT and v == prev:
                prev_release = short(r)
                continue
            entries = self.compat_between(t, p, prev_release, short(r))
            if entries:
                name, xy, old = max(entries, key=lambda e: RELEASES.index(e[1]))
                since = next_release(xy)
                why = "changed in %s: %s keeps %s for older machine types" % (since, name, old) if prev is not ABSENT \
                    else "new in %s: %s gives older machine types %s" % (since, name, old)
            else:
                since = short(r)
                why = ("first seen in the %s source (between %s and %s; no compat array names it)"
                       % (r, prev_release, since))
            out.append({"qemu": since, "value": v,
                        "source": "QEMU %s %s:%d %s; %s" % (r, fact["file"], fact["line"], fact["kind"], why)})
            prev_release, prev = short(r), v
        return out
