"""What QEMU's board code sets on the objects of a default device graph before it realizes them.

The device graphs of machines/*.yaml keep two things apart: `set:` (what the board code sets, with
the code that sets it; the VM builder replays it after the type's defaults and the compat
properties, as QEMU's board code runs after object_new) and `observed:` (what QEMU 7.2 reported,
never replayed; VmAgreesWithQemuTest checks every built object against QEMU 7.2's walks).

Each rule below was read in QEMU 7.2.0's source (Debian's qemu 1:7.2+dfsg-7 source package, which is
the upstream 7.2.0 tree): the file, the line of the setter call and the function it is in. A rule
names the walked machine types it holds for and the device id of the graph (tools/gen_machines.py
derives the ids from the walks: isa-i8259[0], cpu[0]/lapic, ...).

Values QEMU computes while realizing (pci-hole64-start, the CPU's level, mc146818rtc's base_year 2000
becoming 0) are not board settings: the builder computes those itself (dev.machina.vm.RealizeValues).
"""

RELEASE = "7.2.0"

PIIX = ("pc-i440fx-7.2",)
Q35 = ("pc-q35-7.2",)
ISAPC = ("isapc",)
PC = PIIX + Q35 + ISAPC
MICROVM = ("microvm",)


def src(file, line, function):
    return {"release": RELEASE, "file": file, "line": line, "function": function}


# (machines, device id, values, source[, "if-unchanged"])
RULES = [
    # x86_cpus_init -> x86_cpu_new: object_property_set_uint(cpu, "apic-id", apic_id)
    (PC + MICROVM, "cpu[0]", {"apic-id": 0}, src("hw/i386/x86.c", 100, "x86_cpu_new")),
    # microvm's CPU pre-plug handler: cpu->host_phys_bits = true ("need reliable phys-bits")
    (MICROVM, "cpu[0]", {"host-phys-bits": True}, src("hw/i386/microvm.c", 425, "microvm_device_pre_plug_cb")),
    # x86_cpu_realizefn -> x86_cpu_apic_create: qdev_prop_set_uint32(cpu->apic_state, "id", cpu->apic_id)
    (PIIX + Q35 + MICROVM, "cpu[0]/lapic", {"id": 0}, src("target/i386/cpu-sysemu.c", 280, "x86_cpu_apic_create")),
    # pc_i8259_create -> i8259_init -> i8259_init_chip(TYPE_I8259, bus, master)
    (PC + MICROVM, "isa-i8259[0]", {"iobase": 0x20, "elcr_addr": 0x4d0, "elcr_mask": 0xf8, "master": True},
     src("hw/intc/i8259_common.c", 100, "i8259_init_chip")),
    (PC + MICROVM, "isa-i8259[1]", {"iobase": 0xa0, "elcr_addr": 0x4d1, "elcr_mask": 0xde, "master": False},
     src("hw/intc/i8259_common.c", 100, "i8259_init_chip")),
    # piix3_realize / ich9_lpc_realize / pc_init1 (isapc) -> i8257_dma_init(isa_bus, 0): no high page registers
    (PC, "i8257[0]", {"base": 0x00, "page-base": 0x80, "pageh-base": -1, "dshift": 0},
     src("hw/dma/i8257.c", 642, "i8257_dma_init")),
    (PC, "i8257[1]", {"base": 0xc0, "page-base": 0x88, "pageh-base": -1, "dshift": 1},
     src("hw/dma/i8257.c", 650, "i8257_dma_init")),
    # pc_basic_device_init: mc146818_rtc_init(isa_bus, 2000, rtc_irq) (hw/i386/pc.c:1302)
    (PC + MICROVM, "mc146818rtc", {"base_year": 2000}, src("hw/rtc/mc146818rtc.c", 972, "mc146818_rtc_init")),
    # pc_basic_device_init: i8254_pit_init(isa_bus, 0x40, ...) (hw/i386/pc.c:1311)
    (PC + MICROVM, "isa-pit", {"iobase": 0x40}, src("include/hw/timer/i8254.h", 56, "i8254_pit_init")),
    # pc_basic_device_init: intcap is set only when still 0 (pc-q35-1.7 and older get IRQ2 by compat)
    (PIIX, "hpet", {"hpet-intcap": 0x4}, src("hw/i386/pc.c", 1290, "pc_basic_device_init"), "if-unchanged"),
    (Q35, "hpet", {"hpet-intcap": 0xff0104}, src("hw/i386/pc.c", 1290, "pc_basic_device_init"), "if-unchanged"),
    # i440fx_init: pci_create_simple(b, 0, pci_type)
    (PIIX, "i440FX", {"addr": "00.0"}, src("hw/pci-host/i440fx.c", 264, "i440fx_init")),
    # pc_init1: pci_create_simple_multifunction(pci_bus, -1, true, TYPE_PIIX3_DEVICE): the next free slot
    (PIIX, "PIIX3", {"multifunction": True}, src("hw/i386/pc_piix.c", 221, "pc_init1")),
    # pc_init1: pci_create_simple(pci_bus, piix3_devfn + 1, TYPE_PIIX3_IDE)
    (PIIX, "piix3-ide", {"addr": "01.1"}, src("hw/i386/pc_piix.c", 263, "pc_init1")),
    # pc_init1: pci_new(piix3_devfn + 3, TYPE_PIIX4_PM), then smb_io_base and smm-enabled
    (PIIX, "PIIX4_PM", {"addr": "01.3"}, src("hw/i386/pc_piix.c", 300, "pc_init1")),
    (PIIX, "PIIX4_PM", {"smb_io_base": 0xb100}, src("hw/i386/pc_piix.c", 301, "pc_init1")),
    # x86_machine_is_smm_enabled: smm=auto is on under TCG
    (PIIX, "PIIX4_PM", {"smm-enabled": True}, src("hw/i386/pc_piix.c", 302, "pc_init1")),
    # q35_host_initfn: qdev_prop_set_int32(DEVICE(&s->mch), "addr", PCI_DEVFN(0, 0))
    (Q35, "q35/mch", {"addr": "00.0"}, src("hw/pci-host/q35.c", 219, "q35_host_initfn")),
    # pc_q35_init: pci_create_simple_multifunction(host_bus, PCI_DEVFN(ICH9_LPC_DEV, ICH9_LPC_FUNC), true, ...)
    (Q35, "ICH9-LPC", {"addr": "1f.0", "multifunction": True}, src("hw/i386/pc_q35.c", 238, "pc_q35_init")),
    # pc_q35_init: pci_create_simple_multifunction(host_bus, PCI_DEVFN(ICH9_SATA1_DEV, ICH9_SATA1_FUNC), true, "ich9-ahci")
    (Q35, "ich9-ahci", {"addr": "1f.2", "multifunction": True}, src("hw/i386/pc_q35.c", 302, "pc_q35_init")),
    # pc_q35_init -> ich9_lpc_pm_init -> ich9_pm_init (after the LPC is realized): pm->enable_tco = true
    (Q35, "ICH9-LPC", {"enable_tco": True}, src("hw/acpi/ich9.c", 319, "ich9_pm_init")),
    # microvm_devices_init: qdev_prop_set_uint32(dev, "ged-event", ACPI_GED_PWR_DOWN_EVT)
    (MICROVM, "acpi-ged-x86", {"ged-event": 0x2}, src("hw/i386/microvm.c", 207, "microvm_devices_init")),
    # ich9_smb_init(host_bus, PCI_DEVFN(ICH9_SMB_DEV, ICH9_SMB_FUNC), 0xb100) (hw/i386/pc_q35.c:322)
    (Q35, "ICH9-SMB", {"addr": "1f.3", "multifunction": True}, src("hw/i2c/smbus_ich9.c", 146, "ich9_smb_init")),
    # pc_init1 (isapc, no PCI): isa_ide_init(isa_bus, ide_iobase[i], ide_iobase2[i], ide_irq[i], ...)
    (ISAPC, "isa-ide[0]", {"iobase": 0x1f0, "iobase2": 0x3f6, "irq": 14}, src("hw/ide/isa.c", 93, "isa_ide_init")),
    (ISAPC, "isa-ide[1]", {"iobase": 0x170, "iobase2": 0x376, "irq": 15}, src("hw/ide/isa.c", 93, "isa_ide_init")),
]

# the machine object: what pc_init1 / pc_q35_init set on it before building the board (both only
# where the value is still the instance_init one: 0, auto)
RULES += [
    (PIIX + ISAPC, "machine", {"max-ram-below-4g": 0xe0000000}, src("hw/i386/pc_piix.c", 134, "pc_init1"), "if-unchanged"),
    (PIIX + ISAPC, "machine", {"vmport": "on"}, src("hw/i386/pc_piix.c", 251, "pc_init1"), "if-unchanged"),
    # pc_init1 without PCI (isapc): no HPET
    (ISAPC, "machine", {"hpet": False}, src("hw/i386/pc_piix.c", 231, "pc_init1")),
    (Q35, "machine", {"max-ram-below-4g": 4 << 30}, src("hw/i386/pc_q35.c", 160, "pc_q35_init"), "if-unchanged"),
    (Q35, "machine", {"vmport": "on"}, src("hw/i386/pc_q35.c", 290, "pc_q35_init"), "if-unchanged"),
]

# smbus_eeprom_init -> smbus_eeprom_init_one(smbus, 0x50 + i, ...): qdev_prop_set_uint8(dev, "address", address)
for _i in range(8):
    RULES.append((PIIX + Q35, "smbus-eeprom[%d]" % _i, {"address": 0x50 + _i},
                  src("hw/i2c/smbus_eeprom.c", 173, "smbus_eeprom_init_one")))


# What QEMU's code sets on the default devices (tools/default_devices.py) before it realizes them, for the
# machine type whose walk with defaults the family's default-devices come from (its older versions share
# the list). Same shape as RULES.
DEFAULT_RULES = [
    # serial_hds_isa_init -> serial_isa_init(bus, i, serial_hd(i)): the first port, on the chardev serial0
    # (serial_parse names the default's chardev "serial0"); the ISA serial aliases its UART's properties
    # (serial_isa_initfn, hw/char/serial-isa.c:140), so the UART's chardev is the same
    (PC, "isa-serial", {"index": 0, "chardev": "serial0"}, src("hw/char/serial-isa.c", 169, "serial_isa_init")),
    (PC, "isa-serial/serial", {"chardev": "serial0"}, src("hw/char/serial-isa.c", 170, "serial_isa_init")),
    # parallel_hds_isa_init -> parallel_init(bus, i, parallel_hds[i]): the first port, on parallel0
    (PC, "isa-parallel", {"index": 0, "chardev": "parallel0"}, src("hw/char/parallel-isa.c", 26, "parallel_init")),
    # isa_fdc_init_drives -> fdctrl_init_drives: a floppy for drive 0 (the empty default drive floppy0)
    (PIIX + ISAPC, "floppy", {"unit": 0, "drive": "floppy0"}, src("hw/block/fdc.c", 2334, "fdctrl_init_drives")),
    # pci_ide_create_devs / ide_create_drive: the empty default CD-ROM (drive index 2) is unit 0 of the
    # second IDE bus (ide1-cd0); on Q35's AHCI, one unit per port: port 2 (ide2-cd0)
    (PIIX + ISAPC, "ide-cd", {"unit": 0, "drive": "ide1-cd0"}, src("hw/ide/qdev.c", 132, "ide_create_drive")),
    (Q35, "ide-cd", {"unit": 0, "drive": "ide2-cd0"}, src("hw/ide/qdev.c", 132, "ide_create_drive")),
    # pc_nic_init -> pci_nic_init_nofail / isa_ne2000_init -> qdev_set_nic_properties: the -net nic default's
    # MAC (qemu_macaddr_default_if_unset, net/net.c:202: 52:54:00:12:34:56 for the first NIC) and its hub
    # port (net_hub_add_port(0, ...), net/net.c:1085, named hub0port0 by net/hub.c:154)
    (PIIX, "e1000", {"mac": "52:54:00:12:34:56", "netdev": "hub0port0"},
     src("hw/core/qdev-properties-system.c", 547, "qdev_set_nic_properties")),
    (Q35, "e1000e", {"mac": "52:54:00:12:34:56", "netdev": "hub0port0"},
     src("hw/core/qdev-properties-system.c", 547, "qdev_set_nic_properties")),
    (ISAPC, "ne2k_isa", {"mac": "52:54:00:12:34:56", "netdev": "hub0port0"},
     src("hw/core/qdev-properties-system.c", 547, "qdev_set_nic_properties")),
]


def default_sets_for(machine, device_id):
    """The `set:` groups of one default device of a walked machine."""
    out = []
    for rule in DEFAULT_RULES:
        machines, dev, values, source = rule[:4]
        if machine in machines and dev == device_id:
            out.append({"values": values, "source": source})
    return out


def check_default_rules(machine, device_ids):
    """Every default-device rule of a walked machine names one of its default devices."""
    for rule in DEFAULT_RULES:
        if machine in rule[0] and rule[1] not in device_ids:
            raise KeyError("board_sets.py: %s has no default device %s" % (machine, rule[1]))


def sets_for(machine, device_id):
    """The `set:` groups of one device of a walked machine, in the order the code sets them."""
    out = []
    for rule in RULES:
        machines, dev, values, source = rule[:4]
        if machine in machines and dev == device_id:
            g = {"values": values, "source": source}
            if len(rule) > 4 and rule[4] == "if-unchanged":
                g["if-unchanged"] = True
            out.append(g)
    return out


def check_rules(machine, device_ids):
    """Every rule of a walked machine names a device its graph has (a rule for a device QEMU no longer
    creates is a stale fact)."""
    for rule in RULES:
        if machine in rule[0] and rule[1] not in device_ids:
            raise KeyError("board_sets.py: %s has no device %s" % (machine, rule[1]))
