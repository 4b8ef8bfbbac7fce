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
# Defaults tools/qemu_source_defaults.py cannot read (outside the directories it reads, or set in an
# instance_init rather than a DEFINE_PROP_* table), each read by hand in the QEMU 10.2.0 source
# (github:pderwin/qemu-10.2.0, the import of 10.2.0) at the file and line given.
EXTRA_10_2 = {
    ("arm-cpu", "backcompat-cntfrq"): {"kind": "DEFINE_PROP_BOOL", "file": "target/arm/cpu.c", "line": 2248,
                                       "expr": "false", "default": False},
    ("arm-cpu", "backcompat-pauth-default-use-qarma5"): {"kind": "DEFINE_PROP_BOOL", "file": "target/arm/cpu.c", "line": 2249,
                                                         "expr": "false", "default": False},
    # DEFINE_PROP(... vfio_pci_migration_multifd_transfer_prop, OnOffAuto, .set_default = true, .defval.i = ON_OFF_AUTO_AUTO)
    ("vfio-pci", "x-migration-multifd-transfer"): {"kind": "DEFINE_PROP_ON_OFF_AUTO", "file": "hw/vfio/pci.c", "line": 3717,
                                                   "expr": "ON_OFF_AUTO_AUTO", "default": "auto"},
    # sev_guest_instance_init: legacy_vm_type = ON_OFF_AUTO_AUTO (a class property, no DEFINE_PROP)
    ("sev-guest", "legacy-vm-type"): {"kind": "sev_guest_instance_init", "file": "target/i386/sev.c", "line": 2870,
                                      "expr": "ON_OFF_AUTO_AUTO", "default": "auto"},
}
# A virtio PCI proxy (virtio-iommu-pci) has its device's properties as aliases: virtio_instance_init_common
# calls qdev_alias_all_properties(vdev, proxy) (hw/virtio/virtio.c), so a property the proxy's own
# tables lack is the device type's (virtio-iommu-device's granule).
PROXY_SUFFIXES = ("-pci-non-transitional", "-pci-transitional", "-pci")
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
        for (t, p), fact in EXTRA_10_2.items():
            types = self.snap["10.2.0"]
            types.setdefault(t, {"parent": None, "properties": {}}).setdefault("properties", {}).setdefault(p, dict(fact))

    def lookup(self, release, t, p):
        """(owner type, fact) of property p of type t in a release, walking parents, then (for a virtio
        PCI proxy) its device type's; None if absent."""
        types = self.snap[release]
        start = t
        seen = 0
        while t and t in types and seen < 30:
            props = types[t].get("properties") or {}
            if p in props:
                return t, props[p]
            t = types[t].get("parent")
            seen += 1
        for suffix in PROXY_SUFFIXES:
            if start.startswith("virtio-") and start.endswith(suffix):
                base = start[:-len(suffix)]
                for dev in (base + "-device", base):
                    if dev in types and dev != start:
                        hit = self.lookup(release, dev, p)
                        if hit is not None:
                            fact = dict(hit[1])
                            fact["via"] = "%s's, which %s aliases" % (hit[0], start)
                            return hit[0], fact
                break
        return None

    def ancestry(self, t):
        """t and its parents; for a virtio PCI proxy also its device type and that one's parents (the
        proxy's aliases of the device's properties take the compat entries that name the device)."""
        out = []
        types = self.snap["10.2.0"]
        start = t
        while t and t not in out:
            out.append(t)
            t = types.get(t, {}).get("parent") or self.snap["7.2.0"].get(t, {}).get("parent")
        for suffix in PROXY_SUFFIXES:
            if start.startswith("virtio-") and start.endswith(suffix):
                base = start[:-len(suffix)]
                for dev in (base + "-device", base):
                    if dev in types and dev not in out:
                        out.extend(d for d in self.ancestry(dev) if d not in out)
                        break
                break
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
                        "source": "QEMU %s %s:%d %s%s; %s" % (r, fact["file"], fact["line"], fact["kind"],
                                                              " (%s)" % fact["via"] if fact.get("via") else "", why)})
            prev_release, prev = short(r), v
        return out
