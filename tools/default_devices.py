"""A machine type's default devices: what QEMU 7.2 adds when -nodefaults is not given.

The device graphs of machines/*.yaml are QEMU's -nodefaults trees (tools/qemu72/graphs/). Without
-nodefaults, softmmu/vl.c adds a serial port, a parallel port, a monitor, a NIC, a VGA, an empty CD-ROM
and an empty floppy drive, each unless an option removes it or the machine class says it has none
(no_serial, no_floppy, ...). tools/qemu72/collect_defaults.py records the tree QEMU 7.2 builds then
(tools/qemu72/graphs-defaults/); this module finds the devices that tree has and the -nodefaults one
does not, and says which options remove each.

Each default device goes into the family file's `default-devices:` list, in realize order, with
`after:` (the device QEMU realizes it after, so /machine/unattached/device[N] numbering follows),
its qemu-path in the walk with defaults, and `removed-by:` with the source of each rule.
"""
import re

VL = "softmmu/vl.c"


def src(line, function):
    return {"release": "7.2.0", "file": VL, "line": line, "function": function}


# kind -> (the types that are this default, options that remove it, source)
KINDS = {
    "serial": (("isa-serial", "serial", "chardev-vc:serial0"),
               ["-nodefaults", "-serial (any value: it replaces the default)", "-device isa-serial",
                "machine class no_serial"],
               src(1321, "qemu_create_default_devices")),
    "parallel": (("isa-parallel", "chardev-vc:parallel0"),
                 ["-nodefaults", "-parallel (any value: it replaces the default)", "-device isa-parallel",
                  "machine class no_parallel"],
                 src(1323, "qemu_create_default_devices")),
    "vga": (("VGA", "isa-cirrus-vga", "cirrus-vga", "isa-vga"),
            ["-nodefaults", "-vga (any value: none removes it, another model replaces it)",
             "-device VGA (or another display device of default_list)"],
            src(1355, "qemu_create_default_devices")),
    "nic": (("e1000", "e1000e", "ne2k_isa", "rtl8139", "virtio-net-pci"),
            ["-nodefaults", "-net (any value: -net none removes it)", "-nic", "-netdev"],
            src(1329, "qemu_create_default_devices")),
    # monitor_parse("vc:80Cx24C", "readline", false): QEMU's default monitor, on chardev compat_monitor0
    # (the label monitor_parse gives it, softmmu/vl.c:1186); any monitor option, -serial mon:... or
    # -parallel mon:... turns it off (softmmu/vl.c:1282, 3005-3024, 3125, 3144)
    "monitor": (("chardev-vc:compat_monitor0",),
                ["-nodefaults", "-monitor", "-qmp", "-qmp-pretty", "-mon",
                 "-serial mon:... or -parallel mon:... (the monitor shares that port)"],
                src(1326, "qemu_create_default_devices")),
    "cdrom": (("ide-cd",),
              ["-nodefaults", "-device ide-cd, ide-hd, scsi-cd or scsi-hd",
               "a -drive at index 2 of the machine's default interface, or -cdrom (it replaces the empty drive)",
               "machine class no_cdrom"],
              src(711, "qemu_create_early_backends")),
    "floppy": (("floppy",),
               ["-nodefaults", "-device isa-fdc or floppy",
                "-fda or a -drive if=floppy,index=0 (it replaces the empty drive)", "machine class no_floppy"],
               src(713, "qemu_create_early_backends")),
}


# get_default_vga_model: the machine class's default_display, else cirrus where it exists
VGA_MODEL = ("the machine type's default-display option: std is VGA; unset is cirrus (cirrus-vga on a PCI "
             "machine, isa-cirrus-vga on isapc); QEMU 7.2.0 softmmu/vl.c:956 get_default_vga_model")

# net_init_nic -> pci_nic_init_nofail / isa_ne2000_init: -net nic without model= takes the machine
# class's default_nic
NIC_MODEL = ("the machine type's default-nic option (e1000 on pc-i440fx, e1000e on pc-q35 from 2.12, "
             "ne2k_isa on isapc); QEMU 7.2.0 hw/i386/pc.c:1332 pc_nic_init")


def kind_of(d):
    t = d["type"]
    key = t
    if d["id"].startswith("chardevs/"):
        key = "%s:%s" % (t, d["id"].split("/", 1)[1])
    for k, (types, _, _) in KINDS.items():
        if key in types:
            return k
    return None


def extras(nodefaults, withdefaults):
    """The devices of the walk with defaults that the -nodefaults walk has not, each with the id of the
    device realized just before it (after:)."""
    have = {d["id"]: d for d in nodefaults}
    out = []
    prev = None
    for d in withdefaults:
        if d["id"] in have and have[d["id"]]["type"] == d["type"]:
            prev = d["id"]
            continue
        e = dict(d)
        e["after"] = prev
        prev = d["id"]
        out.append(e)
    return out


def describe(devices, by_id):
    """Adds 'default: {kind, removed-by, source}' to each extra device; a child (serial under isa-serial,
    the IDE bus of a controller) takes its parent's kind."""
    out = []
    for d in devices:
        k = kind_of(d)
        parent = d.get("parent")
        while k is None and parent:
            k = kind_of(by_id[parent]) if parent in by_id else None
            parent = by_id.get(parent, {}).get("parent")
        if k is None:
            raise KeyError("default device %s (%s): no rule says which options remove it" % (d["id"], d["type"]))
        _, removed, where = KINDS[k]
        e = dict(d)
        e["default"] = {"kind": k, "removed-by": removed, "source": where}
        if k == "vga":
            e["default"]["model"] = VGA_MODEL
        if k == "nic":
            e["default"]["model"] = NIC_MODEL
        out.append(e)
    return out


def monitor():
    """QEMU's default monitor's chardev. The walks cannot show it: they are made over -qmp, which is a
    monitor option, so QEMU 7.2 leaves its default monitor out (their compat_monitor0 is the -qmp's own
    stdio chardev). The facts are the source's: a vc chardev labelled compat_monitor0."""
    return {"id": "chardevs/compat_monitor0", "type": "chardev-vc", "qemu-path": "/chardevs/compat_monitor0",
            "after": "chardevs/serial0"}


def chardevs(walk):
    """The chardevs of default serial/parallel ports (/chardevs/serial0, parallel0) as devices of the
    list: the port's chardev property names them. compat_monitor0 is the recording's own -qmp stdio."""
    out = []
    for p in sorted(walk):
        m = re.fullmatch(r"/chardevs/(serial|parallel)\d+", p)
        if m:
            out.append({"id": "chardevs/" + p.rsplit("/", 1)[1], "type": walk[p]["type"], "qemu-path": p})
    return out
