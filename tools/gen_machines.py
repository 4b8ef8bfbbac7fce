#!/usr/bin/env python3
"""Regenerate machines/, compat/ and the device-type catalog machines/types/ from facts.

    python3 tools/gen_machines.py            write the files (each through a temp file + rename)
    python3 tools/gen_machines.py --check    exit 1 and name the files whose committed text differs

Inputs (nothing else is read, so every value is reproducible):
  ../shared/qemu/machines/compat.yaml     every QEMU compat array, with its QEMU source file and line
  ../shared/qemu/machines/machines.yaml   every x86 machine type: options functions, chains, lifecycle
  tools/qemu72/*.json                     what a real QEMU 7.2 reports (tools/qemu72/collect.py):
                                          types and parents, property types and defaults, and the
                                          composition tree each machine type creates
  tools/qemu-source/cpu-models-7.2.0.json  what each x86 CPU model sets on its CPU object
                                          (tools/qemu_cpu_models.py, from QEMU 7.2.0's target/i386/cpu.c)
  the FACTS tables below                  facts read in QEMU's source for what QEMU 7.2 cannot report
                                          (types and properties added after 7.2 or removed before it),
                                          each with the file it was read in

Needs python3 with PyYAML (Debian: python3-yaml).
"""
import json
import os
import re
import sys

import yaml

import board_sets
import type_defaults
import qemu_cpu_models
import versioned_defaults
import default_devices

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED = os.environ.get("MACHINA_SHARED") or os.path.join(os.path.dirname(ROOT), "shared", "qemu", "machines")
FACTS72 = os.path.join(HERE, "qemu72")
GENERATOR = "tools/gen_machines.py"

# Types declared in Java (dev.machina.hw.BuiltinTypes): the catalog leaves them out, since a type
# implemented or declared in code wins. The loader skips a catalog type whose name is built in, so a
# stale entry here costs nothing but a redundant declaration.
BUILTIN = {
    "object", "interface", "container", "user-creatable", "device", "bus", "System", "sys-bus-device",
    "hotplug-handler", "acpi-device-interface", "fw-cfg-data-generator", "machine", "ISA", "isa-device",
    "isa-serial", "isa-debugcon", "isa-debug-exit", "PCI", "PCIE", "conventional-pci-device",
    "pci-express-device", "pci-device", "pci-testdev",
}

# Property types whose values are read-only state, not configuration: not declared in the catalog.
READ_ONLY_TYPES = {
    "X86CPUFeatureWordInfo": "CPUID words derived from the feature properties",
    "GuestPanicInformation": "what the guest reported when it panicked",
    "strList": "features the host cannot provide (derived)",
    "struct tm": "the RTC's current time",
    "guest statistics": "memory statistics the guest balloon driver reported",
}

# QEMU 7.2 introspection names for integer kinds that are not our type names.
TYPE_ALIASES = {"uint64_t": "uint64", "int": "int64", "uint4": "uint8"}

# QAPI enums used by catalog properties. QEMU 7.2's query-qmp-schema masks type names, so each list
# is taken from where it can be read and, where the schema has it, matched by value set in
# ../shared/qemu/machines/raw72/query-qmp-schema.json.
ENUMS = {
    "BiosAtaTranslation": (["auto", "none", "lba", "large", "rechs"],
                           "QEMU 7.2 `-device ide-hd,help` (description of bios-chs-trans)"),
    "BlockdevOnError": (["report", "ignore", "enospc", "stop", "auto"],
                        "QEMU 7.2 query-qmp-schema (enum with exactly these values)"),
    "FdcDriveType": (["144", "288", "120", "none", "auto"],
                     "QEMU 7.2 `-device isa-fdc,help` (description of fallback)"),
    "HostMemPolicy": (["default", "preferred", "bind", "interleave"],
                      "QEMU 7.2 query-qmp-schema (enum with exactly these values)"),
    "LostTickPolicy": (["discard", "delay", "slew"], "QEMU 7.2 qapi/misc.json (LostTickPolicy)"),
    "MultiFDCompression": (["none", "zlib", "zstd"],
                           "QEMU 7.2 query-qmp-schema (enum with exactly these values)"),
    "OffAutoPCIBAR": (["off", "auto", "bar0", "bar1", "bar2", "bar3", "bar4", "bar5"],
                      "QEMU 7.2 qapi/common.json (OffAutoPCIBAR)"),
    "PCIELinkSpeed": (["2_5", "5", "8", "16"], "QEMU 7.2 qapi/common.json (PCIELinkSpeed)"),
    "PCIELinkWidth": (["1", "2", "4", "8", "12", "16", "32"], "QEMU 7.2 qapi/common.json (PCIELinkWidth)"),
    "GranuleMode": (["4k", "8k", "16k", "64k", "host"], "QEMU 9.0 qapi/virtio.json (GranuleMode, since 9.0)"),
    "ZeroPageDetection": (["none", "legacy", "multifd"],
                          "QEMU 9.0 qapi/migration.json (ZeroPageDetection, since 9.0)"),
}

# QAPI structs used as list elements of machine properties (member names and types from QEMU 7.2's
# qapi/machine.json; the same member names appear in its query-qmp-schema).
STRUCTS = {
    "SgxEPC": ({"memdev": "str", "node": "uint32"}, "QEMU 7.2 qapi/machine.json (SgxEPC)"),
    "CXLFixedMemoryWindow": ({"targets": "list<str>", "size": "size", "interleave-granularity": "size"},
                             "QEMU 7.2 qapi/machine.json (CXLFixedMemoryWindowOptions)"),
}
LIST_OF_STRUCT = {"SgxEPC": "list<SgxEPC>", "CXLFixedMemoryWindow": "list<CXLFixedMemoryWindow>"}

# Types that compat arrays name but QEMU 7.2's qemu-system-x86_64 does not register.
MISSING_TYPES = {
    "arm-cpu": ("cpu", True, "QEMU target/arm/cpu.c: TYPE_ARM_CPU, parent TYPE_CPU (Arm targets only)"),
    "arm-gicv3-common": ("sys-bus-device", True, "QEMU hw/intc/arm_gicv3_common.c (Arm targets only)"),
    "pl011": ("sys-bus-device", False, "QEMU hw/char/pl011.c (Arm boards only)"),
    "pl031": ("sys-bus-device", False, "QEMU hw/rtc/pl031.c (Arm boards only)"),
    "igb": ("pci-device", False, "QEMU 8.0 hw/net/igb.c (added after 7.2)"),
    "ide-drive": ("ide-device", False, "QEMU 5.2 hw/ide/qdev.c (removed in 6.0)"),
    "scsi-disk": ("scsi-disk-base", False, "QEMU 5.2 hw/scsi/scsi-disk.c (legacy -drive type, removed in 6.0)"),
    "Icelake-Client-x86_64-cpu": ("x86_64-cpu", False, "QEMU 7.0 target/i386/cpu.c (CPU model removed in 7.1)"),
    "pflash_cfi01": ("sys-bus-device", False,
                     "no QEMU type has this name: hw_compat_2_8 spells TYPE_PFLASH_CFI01 ('cfi.pflash01') this "
                     "way, so QEMU never applies that entry; declared so the entry can be kept and checked"),
    "vhost-blk-device": ("virtio-device", False,
                         "no QEMU type has this name: hw_compat_4_2 names it, so QEMU never applies that entry; "
                         "declared so the entry can be kept and checked"),
}

# Types users create on the command line (-object) that no compat array or default graph names, so
# they would not be collected; each is declared from QEMU's source (MISSING_TYPES) with its parent.
USER_TYPES = {"memory-backend-ram"}

# Abstract machine types that concrete machine types of the families derive from: declared in the
# machine group of the catalog (x86-machine and generic-pc-machine from QEMU 7.2, the rest from source).
MACHINE_BASES = {"generic-pc-machine", "x86-machine", "xen-pvh-base-machine"}
MISSING_TYPES["xen-pvh-base-machine"] = (
    "machine", True,
    "QEMU include/hw/xen/xen-pvh-common.h: TYPE_XEN_PVH_MACHINE = MACHINE_TYPE_NAME(\"xen-pvh-base\"), abstract, "
    "parent TYPE_MACHINE (hw/xen/xen-pvh-common.c; Xen builds only, so QEMU 7.2 from Debian has none); "
    "its class properties are not collected")
MISSING_TYPES["memory-backend-ram"] = (
    "memory-backend", False,
    "QEMU 7.2 backends/hostmem-ram.c: TYPE_MEMORY_BACKEND_RAM, parent TYPE_MEMORY_BACKEND, no properties of its own")

# Properties QOM registers with the type name "int" whose setters read another QAPI type, so that
# qom-list-properties says int but QEMU takes sizes (1G) or lists (host-nodes=0-1) for them.
# Checked with QEMU 7.2: -object memory-backend-file,id=m,size=64M,mem-path=F,align=2M and
# memory-backend-ram,id=m,size=64M,host-nodes=0-1,policy=bind are accepted.
QOM_INT_AS = {
    ("memory-backend", "size"): ("size", "QEMU 7.2 backends/hostmem.c: registered as \"int\", set with visit_type_size"),
    ("memory-backend", "host-nodes"): ("list<uint16>", "QEMU 7.2 backends/hostmem.c: registered as \"int\", set with"
                                                       " visit_type_uint16List (QAPI MemoryBackendProperties.host-nodes)"),
    ("memory-backend-file", "align"): ("size", "QEMU 7.2 backends/hostmem-file.c: registered as \"int\", set with visit_type_size"),
    ("memory-backend-memfd", "hugetlbsize"): ("size", "QEMU 7.2 backends/hostmem-memfd.c: registered as \"int\", set with"
                                                      " visit_type_size"),
}

# Properties that compat arrays set but QEMU 7.2 does not report (added after 7.2, removed before it,
# or on a type 7.2 lacks). The type is from the cited source; "bool" entries whose source says
# "compat value" are typed from the on/off/true/false the arrays give them.
NEWER_OR_OLDER = {
    ("virtio-iommu-pci", "granule"): ("GranuleMode", "QEMU 9.0 hw/virtio/virtio-iommu.c DEFINE_PROP_GRANULE_MODE"),
    ("virtio-iommu-pci", "aw-bits"): ("uint8", "QEMU 9.0 hw/virtio/virtio-iommu.c DEFINE_PROP_UINT8"),
    ("migration", "zero-page-detection"): ("ZeroPageDetection", "QEMU 9.0 migration/options.c"),
    ("virtio-gpu-device", "x-scanout-vmstate-version"): ("uint8", "QEMU 9.0 hw/display/virtio-gpu.c DEFINE_PROP_UINT8"),
    ("x86_64-cpu", "guest-phys-bits"): ("uint32", "QEMU 9.0 target/i386/cpu.c DEFINE_PROP_UINT32"),
    ("sev-guest", "legacy-vm-type"): ("OnOffAuto", "QEMU 9.1 target/i386/sev.c (OnOffAuto class property)"),
    ("virtio-balloon-pci", "vectors"): ("uint32", "QEMU 9.2 hw/virtio/virtio-balloon-pci.c DEFINE_PROP_UINT32"),
    ("virtio-balloon-pci-transitional", "vectors"): ("uint32", "QEMU 9.2 hw/virtio/virtio-balloon-pci.c"),
    ("virtio-balloon-pci-non-transitional", "vectors"): ("uint32", "QEMU 9.2 hw/virtio/virtio-balloon-pci.c"),
    ("virtio-mem-pci", "vectors"): ("uint32", "QEMU 9.2 hw/virtio/virtio-mem-pci.c DEFINE_PROP_UINT32"),
    ("virtio-balloon-pci", "class"): ("uint32", "QEMU 1.0 hw/virtio-pci.c DEFINE_PROP_HEX32 (removed later)"),
    ("AC97", "use_broken_id"): ("uint32", "QEMU 4.1 hw/audio/ac97.c DEFINE_PROP_UINT32 (removed in 5.0)"),
    ("ide-drive", "ver"): ("str", "QEMU 5.2 hw/ide/qdev.c DEFINE_PROP_STRING"),
    ("scsi-disk", "ver"): ("str", "QEMU 5.2 hw/scsi/scsi-disk.c DEFINE_PROP_STRING"),
}

# C expressions of machines.yaml evaluated once: constants and macros of the x86 target.
CPU_DEFAULT = "qemu64-x86_64-cpu"  # TARGET_DEFAULT_CPU_TYPE of qemu-system-x86_64
# HVM_MAX_VCPUS: QEMU takes it from Xen's public headers (<xen/hvm/hvm_info_table.h>). 128 in
# xen/include/public/hvm/hvm_info_table.h ("Maximum we can support with current vLAPIC ID mapping"),
# read at xen-project/xen commit cf75018188 and Xilinx/xen commit 6065f5bfe7.
HVM_MAX_VCPUS = 128

# What QEMU's machine_class_base_init (hw/core/machine.c) does to the options: it runs for every
# machine class after the parent's class data is copied and before the class's own class_init, and
# sets `max_cpus = max_cpus ?: 1` (min_cpus and default_cpus likewise; those are not options) and, for
# a non-abstract class, `compat_props = g_ptr_array_new()` (a subclass starts with no compat sets).
# It matters only where no class_init of the chain sets max_cpus: of the types here, x-remote. Its line
# in 10.2.0 was not read, so the source names the function only (checked in QEMU trees from 5.x to a
# 10.1+ tree whose class_base_init takes `const void *data`).
CLASS_BASE_INIT = {
    "source": {"qemu": "10.2.0", "file": "hw/core/machine.c", "function": "machine_class_base_init"},
    "sets": [["MachineClass.max_cpus", "1"]],
}

# Facts of other_machines (machines.yaml) that are prose in its defined_by: the generator checks the
# text still says so, so a change of the facts fails here instead of leaving a stale note.
OTHER_NOTES = {
    "nitro-enclave": ("added in 9.2", "added in QEMU 9.2; build-dependent (not in libvirt's 10.2/11.0 runtime lists)"),
    "xenpvh": ("Xen builds only", "Xen builds only; new in QEMU 9.2 (hw/i386/xen/xen-pvh.c, 'hw/i386/xen: Add a Xen PVH x86 machine', merged for 9.2)"),
}
# The release an unversioned machine type first appears in, where that is after QEMU 7.2 (the oldest
# release Machina presents): a versioned type X.Y is new in X.Y. Facts: machines.yaml other_machines
# (nitro-enclave), QEMU's ChangeLog/9.2 and the pull request that added hw/i386/xen/xen-pvh.c (xenpvh).
SINCE = {"nitro-enclave": "9.2", "xenpvh": "9.2"}

# Deprecations set by hand in an options function before 9.1's automatic rule: the release whose
# docs/about/deprecated.rst first lists them ("pc-i440fx-1.4 up to pc-i440fx-1.7 (since 7.0)",
# "pc-i440fx-2.0 up to pc-i440fx-2.3 (since 8.2)"). pc-0.x and pc-1.x were removed before 7.2.
MANUAL_DEPRECATED_SINCE = {"pc-i440fx-1.%d" % i: "7.0" for i in range(4, 8)}
MANUAL_DEPRECATED_SINCE.update({"pc-i440fx-2.%d" % i: "8.2" for i in range(0, 4)})
# MACHINE_VER_DEPRECATION (include/hw/boards.h, from 9.1): X.Y is deprecated in A.B when A-X > 3, or
# A-X == 3 and B >= Y; that is from (X+3).Y on, but never before 9.1, which introduced the rule.
AUTO_DEPRECATION_FROM = "9.1"

# MachineClass / PCMachineClass / X86MachineClass fields as named, typed options. Fields that hold
# functions (init, reset, hotplug handlers, ...) are behaviour, not data, and are left out (SKIPPED).
OPTIONS = {
    "MachineClass.desc": ("description", "str"),
    "MachineClass.family": ("qemu-family", "str"),
    "MachineClass.max_cpus": ("max-cpus", "int"),
    "MachineClass.default_cpu_type": ("default-cpu-type", "str"),
    "MachineClass.default_ram_id": ("default-ram-id", "str"),
    "MachineClass.default_ram_size": ("default-ram-size", "size"),
    "MachineClass.has_hotpluggable_cpus": ("hotpluggable-cpus", "bool"),
    "MachineClass.numa_mem_supported": ("numa-mem-supported", "bool"),
    "MachineClass.auto_enable_numa_with_memhp": ("auto-enable-numa-with-memhp", "bool"),
    "MachineClass.auto_enable_numa_with_memdev": ("auto-enable-numa-with-memdev", "bool"),
    "MachineClass.numa_mem_align_shift": ("numa-mem-align-shift", "int"),
    "MachineClass.numa_auto_assign_ram": ("numa-legacy-auto-assign-ram", "bool"),
    "MachineClass.default_boot_order": ("default-boot-order", "str"),
    "MachineClass.block_default_type": ("block-default-interface", "str"),
    "MachineClass.default_display": ("default-display", "str"),
    "MachineClass.default_nic": ("default-nic", "str"),
    "PCMachineClass.default_nic_model": ("default-nic", "str"),
    "MachineClass.default_machine_opts": ("default-machine-options", "str"),
    "MachineClass.default_kernel_irqchip_split": ("default-kernel-irqchip-split", "bool"),
    "MachineClass.no_floppy": ("no-floppy", "bool"),
    "MachineClass.no_parallel": ("no-parallel", "bool"),
    "MachineClass.no_serial": ("no-serial", "bool"),
    "MachineClass.no_cdrom": ("no-cdrom", "bool"),
    "MachineClass.no_tco": ("no-tco", "bool"),
    "MachineClass.units_per_default_bus": ("units-per-default-bus", "int"),
    "MachineClass.hw_version": ("hw-version", "str"),
    "MachineClass.legacy_fw_cfg_order": ("legacy-fw-cfg-order", "bool"),
    "MachineClass.option_rom_has_mr": ("option-rom-has-mr", "bool"),
    "MachineClass.rom_file_has_mr": ("rom-file-has-mr", "bool"),
    "MachineClass.smbios_memory_device_size": ("smbios-memory-device-size", "size"),
    "MachineClass.smbus_no_migration_support": ("smbus-no-migration-support", "bool"),
    "MachineClass.nvdimm_supported": ("nvdimm-supported", "bool"),
    "MachineClass.smp_props.prefer_sockets": ("smp-prefer-sockets", "bool"),
    "MachineClass.smp_props.dies_supported": ("smp-dies-supported", "bool"),
    "MachineClass.smp_props.modules_supported": ("smp-modules-supported", "bool"),
    "PCMachineClass.pci_enabled": ("pci-enabled", "bool"),
    "PCMachineClass.has_acpi_build": ("acpi-build", "bool"),
    "PCMachineClass.smbios_defaults": ("smbios-defaults", "bool"),
    "PCMachineClass.smbios_legacy_mode": ("smbios-legacy-mode", "bool"),
    "PCMachineClass.smbios_uuid_encoded": ("smbios-uuid-encoded", "bool"),
    "PCMachineClass.default_smbios_ep_type": ("default-smbios-entry-point-type", "str"),
    "PCMachineClass.gigabyte_align": ("gigabyte-align", "bool"),
    "PCMachineClass.has_reserved_memory": ("reserved-memory", "bool"),
    "PCMachineClass.enforce_amd_1tb_hole": ("enforce-amd-1tb-hole", "bool"),
    "PCMachineClass.isa_bios_alias": ("isa-bios-alias", "bool"),
    "PCMachineClass.pvh_enabled": ("pvh-enabled", "bool"),
    "PCMachineClass.kvmclock_create_always": ("kvmclock-create-always", "bool"),
    "PCMachineClass.kvmclock_enabled": ("kvmclock-enabled", "bool"),
    "PCMachineClass.rsdp_in_ram": ("rsdp-in-ram", "bool"),
    "PCMachineClass.resizable_acpi_blob": ("resizable-acpi-blob", "bool"),
    "PCMachineClass.legacy_cpu_hotplug": ("legacy-cpu-hotplug", "bool"),
    "PCMachineClass.broken_reserved_end": ("broken-reserved-end", "bool"),
    "PCMachineClass.broken_32bit_mem_addr_check": ("broken-32bit-mem-addr-check", "bool"),
    "PCMachineClass.enforce_aligned_dimm": ("enforce-aligned-dimm", "bool"),
    "PCMachineClass.do_not_add_smb_acpi": ("no-smbus-acpi", "bool"),
    "PCMachineClass.linuxboot_dma_enabled": ("linuxboot-dma", "bool"),
    "PCMachineClass.default_south_bridge": ("default-south-bridge", "str"),
    "PCMachineClass.pci_root_uid": ("pci-root-uid", "int"),
    "PCMachineClass.default_cpu_version": ("default-cpu-version", "cpu-version"),
    "PCMachineClass.acpi_data_size": ("acpi-data-size", "size"),
    "PCMachineClass.legacy_acpi_table_size": ("legacy-acpi-table-size", "int"),
    "X86MachineClass.apic_xrupt_override": ("apic-xrupt-override", "bool"),
    "X86MachineClass.fwcfg_dma_enabled": ("fw-cfg-dma", "bool"),
    "X86MachineClass.save_tsc_khz": ("save-tsc-khz", "bool"),
    "PCMachineClass.save_tsc_khz": ("save-tsc-khz", "bool"),
    "X86MachineClass.compat_apic_id_mode": ("compat-apic-id-mode", "bool"),
    "PCMachineClass.compat_apic_id_mode": ("compat-apic-id-mode", "bool"),
}
CACHE_LEVELS = {"CACHE_LEVEL_AND_TYPE_L1D": "l1d", "CACHE_LEVEL_AND_TYPE_L1I": "l1i",
                "CACHE_LEVEL_AND_TYPE_L2": "l2", "CACHE_LEVEL_AND_TYPE_L3": "l3"}
SKIPPED = {  # function pointers and fields handled elsewhere
    "MachineClass.init", "MachineClass.reset", "MachineClass.wakeup", "MachineClass.kvm_type",
    "MachineClass.get_hotplug_handler", "MachineClass.cpu_index_to_instance_props",
    "MachineClass.get_default_cpu_node_id", "MachineClass.possible_cpu_arch_ids",
    "MachineClass.create_default_memdev", "MachineClass.hot_add_cpu",  # the cpu-add command, removed in 5.2
    "MachineClass.alias", "MachineClass.is_default", "MachineClass.deprecation_reason",  # identity, lifecycle
    "MicrovmMachineClass.x86_load_linux",
}

DEPRECATION_POLICY = "machines more than 3 years old are subject to deletion after 6 years"


# ---------------------------------------------------------------------------------------------
# small helpers

def vkey(v):
    return [int(x) for x in v.split(".")]


def qemu_set_name(array):
    """compat.yaml array name -> our compat set name."""
    m = re.fullmatch(r"hw_compat_(\d+)_(\d+)", array)
    if m:
        return "hw-%s.%s" % m.groups()
    m = re.fullmatch(r"pc_compat_(\d+)_(\d+)", array)
    if m:
        return "pc-%s.%s" % m.groups()
    m = re.fullmatch(r"inline_compat_pc_(\d+)_(\d+)", array)
    if m:
        return "pc-%s.%s" % m.groups()
    m = re.fullmatch(r"PC_COMPAT_(\d+)_(\d+)", array)
    if m:
        return "pc-%s.%s" % m.groups()
    return {"pc_piix_compat_defaults": "pc-i440fx-defaults", "pc_q35_compat_defaults": "pc-q35-defaults",
            "microvm_properties": "microvm-defaults"}[array]


PLAIN = re.compile(r"^[A-Za-z_/][A-Za-z0-9_.\-/<>]*$")
YAML11_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}


def scalar(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    s = str(v)
    if PLAIN.match(s) and s.lower() not in YAML11_WORDS and not s.endswith(":"):
        return s
    return json.dumps(s)


def flow(d):
    if isinstance(d, dict):
        return "{" + ", ".join("%s: %s" % (scalar(k), flow(v)) for k, v in d.items()) + "}"
    if isinstance(d, list):
        return "[" + ", ".join(flow(x) for x in d) + "]"
    return scalar(d)


def header(kind, sources):
    lines = ["# Generated by %s from %s." % (GENERATOR, ", ".join(sources)),
             "# Do not edit by hand: change the generator or its inputs and run `python3 %s`." % GENERATOR,
             "kind: %s" % kind]
    return lines


def src(s, **extra):
    out = {"release": s["qemu"], "file": s["file"]}
    if s.get("line"):  # a source whose line was not read names its function instead
        out["line"] = s["line"]
    out.update({k: v for k, v in extra.items() if v})
    return out


# ---------------------------------------------------------------------------------------------
# compat/

def gen_compat(compat):
    groups = {"hw": [], "pc": [], "defaults": []}
    for array, s in compat.items():
        if array.startswith("_"):
            continue
        name = qemu_set_name(array)
        entry = {"name": name, "kind": s["kind"], "source": src(s["source"], array=array, function=s.get("function"))}
        if s.get("version"):
            entry["restores"] = s["version"]
        if s.get("note"):
            entry["note"] = s["note"]
        entries = []
        for e in s.get("entries") or []:
            x = {"driver": e["driver"], "property": e["property"], "value": str(e["value"])}
            if e.get("optional"):
                x["optional"] = True
            if e.get("from_macro"):
                x["from-macro"] = e["from_macro"]
            entries.append(x)
        entry["entries"] = entries
        kind = s["kind"]
        group = "hw" if kind == "hw_compat" else "defaults" if kind == "machine_defaults" else "pc"
        groups[group].append(entry)
    files = {}
    for group, sets in groups.items():
        if group == "defaults":
            sets.sort(key=lambda e: e["name"])
        else:
            sets.sort(key=lambda e: vkey(e["restores"]), reverse=True)
        lines = header("compat-sets", ["../shared/qemu/machines/compat.yaml"])
        lines.append("# Sets are ordered lists of {driver, property, value}; a machine applies the sets of its")
        lines.append("# chain newest first, so the oldest set wins. 'source' is the QEMU release, file and line the")
        lines.append("# array was read at (compat.yaml); entries keep QEMU's order.")
        lines.append("sets:")
        for e in sets:
            lines.append("  - name: %s" % scalar(e["name"]))
            lines.append("    kind: %s" % scalar(e["kind"]))
            if "restores" in e:
                lines.append("    restores: %s" % scalar(e["restores"]))
            lines.append("    source: %s" % flow(e["source"]))
            if "note" in e:
                lines.append("    note: %s" % scalar(e["note"]))
            if not e["entries"]:
                lines.append("    entries: []")
                continue
            lines.append("    entries:")
            for x in e["entries"]:
                lines.append("      - %s" % flow(x))
        files["compat/%s.yaml" % group] = "\n".join(lines) + "\n"
    return files


# ---------------------------------------------------------------------------------------------
# option values

def c_string(v):
    if v == "NULL":
        return None
    m = re.fullmatch(r'"(.*)"', v)
    if m:
        return m.group(1)
    raise ValueError("not a C string: " + v)


def c_size(v):
    m = re.fullmatch(r"(\d+) \* (KiB|MiB|GiB|TiB)", v)
    if m:
        return m.group(1) + {"KiB": "K", "MiB": "M", "GiB": "G", "TiB": "T"}[m.group(2)]
    if re.fullmatch(r"0x[0-9a-fA-F]+", v):
        n = int(v, 16)
        for suf, mul in (("T", 1 << 40), ("G", 1 << 30), ("M", 1 << 20), ("K", 1 << 10)):
            if n % mul == 0:
                return "%d%s" % (n // mul, suf)
        return str(n)
    if re.fullmatch(r"\d+", v):
        return v
    raise ValueError("not a size: " + v)


def option_value(field, raw):
    """(option name, value) for one C assignment, or None when the field is not an option."""
    if field in SKIPPED:
        return None
    m = re.fullmatch(r"MachineClass\.smp_props\.cache_supported\[(\w+)\]", field)
    if m:
        return ("smp-cache-supported", CACHE_LEVELS[m.group(1)])
    if field not in OPTIONS:
        raise KeyError("no option for %s (= %s): add it to OPTIONS or SKIPPED" % (field, raw))
    name, typ = OPTIONS[field]
    if field == "MachineClass.numa_auto_assign_ram":
        return (name, raw == "numa_legacy_auto_assign_ram")
    if field == "MachineClass.default_cpu_type":
        if raw == "TARGET_DEFAULT_CPU_TYPE":
            return (name, CPU_DEFAULT)
        m = re.fullmatch(r'X86_CPU_TYPE_NAME\("(.+)"\)', raw)
        return (name, m.group(1) + "-x86_64-cpu")
    if field == "MachineClass.block_default_type":
        return (name, {"IF_IDE": "ide"}[raw])
    if field == "PCMachineClass.default_smbios_ep_type":
        return (name, {"SMBIOS_ENTRY_POINT_TYPE_32": "32", "SMBIOS_ENTRY_POINT_TYPE_64": "64",
                       "SMBIOS_ENTRY_POINT_TYPE_AUTO": "auto"}[raw])
    if field == "PCMachineClass.default_south_bridge":
        return (name, {"TYPE_PIIX3_DEVICE": "PIIX3"}[raw])
    if typ == "cpu-version":
        return (name, "legacy" if raw == "CPU_VERSION_LEGACY" else int(raw))
    if typ == "bool":
        if raw.startswith("!module_object_class_by_name("):
            # "no floppy/parallel unless the build has the device": every build here has both
            return (name, False)
        return (name, {"true": True, "false": False, "1": True, "0": False}[raw])
    if typ == "int":
        if raw == "HVM_MAX_VCPUS":
            return (name, HVM_MAX_VCPUS)
        return (name, int(raw, 0))
    if typ == "size":
        return (name, c_size(raw))
    return (name, c_string(raw))


def options_of(sets):
    out = {}
    caches = []
    for field, raw in sets:
        r = option_value(field, raw)
        if r is None:
            continue
        if r[0] == "smp-cache-supported":
            caches.append(r[1])
        else:
            out[r[0]] = r[1]
    if caches:
        out["smp-cache-supported"] = caches
    return out


# ---------------------------------------------------------------------------------------------
# the catalog: QEMU 7.2 facts -> typed declarations

class Facts72:
    def __init__(self):
        self.types = {t["name"]: t for t in json.load(open(os.path.join(FACTS72, "types.json")))["return"]}
        self.props = json.load(open(os.path.join(FACTS72, "properties.json")))["types"]
        self.graph_types = json.load(open(os.path.join(FACTS72, "graph-property-types.json")))["types"]
        self.machines = json.load(open(os.path.join(FACTS72, "machines.json")))["return"]
        self.graphs = {}
        for m in self.machines:
            self.graphs[m["name"]] = json.load(open(os.path.join(FACTS72, "graphs", m["name"] + ".json")))
        # walks without -nodefaults (tools/qemu72/collect_defaults.py): the default devices
        self.default_graphs = {}
        ddir = os.path.join(FACTS72, "graphs-defaults")
        for fn in sorted(os.listdir(ddir)) if os.path.isdir(ddir) else []:
            self.default_graphs[fn[:-len(".json")]] = json.load(open(os.path.join(ddir, fn)))
        self._full = {}

    def parent(self, t):
        return self.types[t].get("parent")

    def abstract(self, t):
        return self.types[t].get("abstract", False)

    def full(self, t):
        """Every property of t as QEMU 7.2 reports it: name -> {type, default?}."""
        if t in self._full:
            return self._full[t]
        e = self.props.get(t)
        p = self.parent(t) if t in self.types else None
        out = dict(self.full(p)) if p and p in self.props else {}
        if e is None:
            self._full[t] = out
            return out
        for g in e.get("qom-list-properties-not-inherited", []):
            out.pop(g, None)
        q = e.get("qom-list-properties")
        if isinstance(q, list):
            for x in q:
                out[x["name"]] = x
        d = e.get("device-list-properties")
        if isinstance(d, list):
            for x in d:
                out[x["name"]] = x
        self._full[t] = out
        return out

    def isa(self, t, ancestor):
        while t:
            if t == ancestor:
                return True
            t = self.types[t].get("parent") if t in self.types else None
        return False


def map_type(qtype):
    if qtype in TYPE_ALIASES:
        return TYPE_ALIASES[qtype]
    if qtype in LIST_OF_STRUCT:
        return LIST_OF_STRUCT[qtype]
    return qtype


def declared_default(qtype, spec):
    """(default, unknown?) for one property: QEMU's default-value, else none for strings and links,
    else unknown (QEMU 7.2 sets it at instance time and does not report it)."""
    if "default-value" in spec:
        return spec["default-value"], False
    if qtype in ("str", "string") or qtype.startswith("link<") or qtype.startswith("list<"):
        return None, False
    return None, True


PROP_KEYS = ("name", "type", "default", "default-unknown", "description", "source", "defaults")


def ordered(p):
    return {k: p[k] for k in PROP_KEYS if k in p}


def prop_entry(name, spec):
    qtype = map_type(spec["type"])
    d, unknown = declared_default(qtype, spec)
    x = {"name": name, "type": qtype}
    if d is not None:
        x["default"] = d
    if unknown:
        x["default-unknown"] = True
    return x


# Lifecycle state and derived read-only values every device or bus has: the object model keeps them
# as state (realized, hot-plug status, the bus link), not as properties to configure.
STATE_PROPERTIES = {"type", "realized", "hotpluggable", "hotplugged", "parent_bus", "legacy-addr"}


def usable(spec):
    t = spec["type"]
    return not t.startswith("child<") and t not in READ_ONLY_TYPES and spec["name"] not in STATE_PROPERTIES


def catalog(f, compat):
    """Type declarations for every compat driver, every type in a default device graph and the
    abstract machine parents, with their ancestors."""
    wanted = set()
    drivers = set()
    for array, s in compat.items():
        if array.startswith("_"):
            continue
        for e in s.get("entries") or []:
            drivers.add(e["driver"])
    graph_types = set()
    for g in list(f.graphs.values()) + list(f.default_graphs.values()):
        for o in g["objects"].values():
            graph_types.add(o["type"])
    # every CPU model type of qemu-system-x86_64 (-cpu NAME takes NAME-x86_64-cpu): the unversioned
    # models, each version (NAME-vN), the aliases of versions and base/max/host (x86_register_cpudef_types)
    cpu_models = {t for t in f.types if t.endswith("-x86_64-cpu") and f.isa(t, "cpu")}
    for t in sorted(drivers | graph_types | USER_TYPES | MACHINE_BASES | cpu_models):
        if t.endswith("-machine") and t not in MACHINE_BASES:
            continue  # concrete machine types are declared by each machine family
        while t and t not in wanted:
            wanted.add(t)
            t = f.types[t].get("parent") if t in f.types else MISSING_TYPES.get(t, (None,))[0]
    decls = {}
    # (declaring ancestor, property) -> {default as JSON: [subtypes]} for defaults QEMU reports only on
    # concrete subtypes: a class property has one default, so it goes to the type that declares it
    hoist = {}
    for t in sorted(wanted):
        if t in BUILTIN:
            continue
        if t in MISSING_TYPES:
            parent, abstract, why = MISSING_TYPES[t]
            decls[t] = {"name": t, "parent": parent, "abstract": abstract, "source": why, "properties": []}
            continue
        parent = f.parent(t)
        mine = f.full(t)
        inherited = f.full(parent) if parent else {}
        props = []
        for name in sorted(mine):
            spec = mine[name]
            if not usable(spec):
                continue
            old = inherited.get(name)
            if old is None or old.get("type") != spec["type"]:
                x = prop_entry(name, spec)
                if (t, name) in QOM_INT_AS:
                    x["type"], x["source"] = QOM_INT_AS[(t, name)]
                    if x["type"].startswith("list<"):
                        x.pop("default-unknown", None)  # a list's default is empty
                props.append(x)
            elif "default-value" in old:
                if "default-value" in spec and spec["default-value"] != old["default-value"]:
                    props.append(prop_entry(name, spec))
            elif "default-value" in spec:
                top = parent
                while f.parent(top) and name in f.full(f.parent(top)):
                    top = f.parent(top)
                hoist.setdefault((top, name), {}).setdefault(json.dumps(spec["default-value"]), []).append(t)
        decls[t] = {"name": t, "parent": parent, "abstract": f.abstract(t), "properties": props}
    for (top, name), seen in sorted(hoist.items()):
        if len(seen) == 1:
            if top in decls:
                for x in decls[top]["properties"]:
                    if x["name"] == name:
                        x["default"] = json.loads(next(iter(seen)))
                        x.pop("default-unknown", None)
            continue  # every subtype agrees: the declaring type (or the built-in one) has the default
        for value, subs in seen.items():
            for sub in subs:
                decls[sub]["properties"].append(prop_entry(name, f.full(sub)[name]))
                decls[sub]["properties"].sort(key=lambda x: x["name"])
    # instance properties (added by an abstract type's instance_init, so absent from its class-only
    # reply) that every collected concrete subtype reports identically belong to the abstract type
    def depth(t):
        n = 0
        while t in decls:
            t, n = decls[t]["parent"], n + 1
        return n
    for a in sorted((t for t in decls if decls[t]["abstract"] and t not in MISSING_TYPES), key=depth, reverse=True):
        subs = [t for t in decls if decls[t]["parent"] == a and not decls[t]["abstract"] and t in f.props]
        if len(subs) < 3:  # two siblings may share a property by coincidence
            continue
        common = None
        for t in subs:
            own = {json.dumps(x, sort_keys=True) for x in decls[t]["properties"]}
            common = own if common is None else common & own
        if not common:
            continue
        for t in subs:
            decls[t]["properties"] = [x for x in decls[t]["properties"] if json.dumps(x, sort_keys=True) not in common]
        decls[a]["properties"] = sorted(decls[a]["properties"] + [json.loads(x) for x in common], key=lambda x: x["name"])
    gpm = decls["generic-pc-machine"]
    gpm["properties"] = sorted(gpm["properties"] + [p for p in pc_machine_props(f)
                                                    if p["name"] not in {x["name"] for x in gpm["properties"]}],
                               key=lambda x: x["name"])
    # properties compat names that QEMU 7.2 does not report
    for array, s in compat.items():
        if array.startswith("_"):
            continue
        for e in s.get("entries") or []:
            d, p = e["driver"], e["property"]
            if d in BUILTIN:
                continue
            if has_property(f, decls, d, p):
                continue
            if e.get("optional"):
                continue  # QEMU skips it where the type lacks it; checked against subtypes instead
            if (d, p) in NEWER_OR_OLDER:
                ptype, why = NEWER_OR_OLDER[(d, p)]
            elif str(e["value"]) in ("on", "off", "true", "false", "yes", "no"):
                ptype, why = "bool", "in compat array %s; not reported by QEMU 7.2; bool from the compat value (on/off/true/false/yes/no)" % array
            else:
                raise KeyError("no type known for %s.%s (= %s in %s): add it to NEWER_OR_OLDER"
                               % (d, p, e["value"], array))
            decl = decls[d]
            if any(x["name"] == p for x in decl["properties"]):
                continue
            decl["properties"].append({"name": p, "type": ptype, "default-unknown": True, "source": why})
            decl["properties"].sort(key=lambda x: x["name"])
    type_defaults.apply(decls, has_property)
    qemu_cpu_models.apply(decls, compat, compact=cpu_models - drivers - graph_types)
    versioned(decls, compat)
    return decls


def versioned(decls, compat):
    """Each property's default in the releases after QEMU 7.2 where it changed (tools/versioned_defaults.py),
    and the 7.2 default from QEMU 7.2.0's source where the binary does not report it."""
    facts = versioned_defaults.Facts(compat)
    for t, d in decls.items():
        for p in d["properties"]:
            if p.get("default-unknown") and "default" not in p:
                hit = facts.lookup("7.2.0", t, p["name"])
                if hit is not None and "default" in hit[1] and not str(p["type"]).startswith(("list<", "link<")):
                    fact = hit[1]
                    p.pop("default-unknown")
                    p["default"] = fact["default"]
                    p["source"] = "QEMU 7.2.0 %s:%d %s" % (fact["file"], fact["line"], fact["kind"])
            base = p["default"] if "default" in p else versioned_defaults.ABSENT
            h = facts.history(t, p["name"], base)
            if h and "not reported by QEMU 7.2" in p.get("source", ""):
                # the type was guessed from a compat value: the newer source's DEFINE_PROP_* says it
                kind = h[-1]["source"].split(";")[0].split(" ")[-1]
                real = versioned_defaults.KIND_TYPES.get(kind)
                if real and real != p["type"]:
                    p["type"] = real
                    p["source"] = p["source"].split(";")[0] + "; type %s from %s in QEMU's newer source" % (real, kind)
            if h:
                p["defaults"] = h
    # types implemented in code (BUILTIN): their properties are Java's, but the release defaults of the
    # ones compat arrays name are facts like the others; a declaration here carries only those
    for name in sorted(BUILTIN):
        props = {}
        for array, s in compat.items():
            if array.startswith("_"):
                continue
            for e in s.get("entries") or []:
                if e["driver"] != name or e["property"] in props:
                    continue
                hit = facts.lookup("7.2.0", name, e["property"])
                base = hit[1]["default"] if hit and "default" in hit[1] else versioned_defaults.ABSENT
                h = facts.history(name, e["property"], base)
                kind = h[-1]["source"].split(";")[0].split(" ")[-1] if h else None
                if h and hit and versioned_defaults.KIND_TYPES.get(hit[1]["kind"]) != versioned_defaults.KIND_TYPES.get(kind):
                    continue  # the property changed type (rombar: uint32 1 in 7.2, int32 -1 in 10.2): the code's type stays
                if h:
                    props[e["property"]] = {"name": e["property"], "type": versioned_defaults.KIND_TYPES.get(kind, "bool"),
                                            "defaults": h}
        if props:
            assert name not in decls, name
            parent = versioned_defaults_parent(facts, name)
            decls[name] = {"name": name, "parent": parent, "abstract": name in ("pci-device", "device", "sys-bus-device"),
                           "source": "built in (implemented in code): only the release defaults of its properties are data here",
                           "properties": [props[k] for k in sorted(props)]}


def versioned_defaults_parent(facts, name):
    hit = facts.snap["10.2.0"].get(name) or facts.snap["7.2.0"].get(name) or {}
    return hit.get("parent") or "object"


def has_property(f, decls, t, p):
    """Whether type t (or an ancestor) has property p, as declared or as QEMU 7.2 reports it."""
    while t:
        if t in decls and any(x["name"] == p for x in decls[t]["properties"]):
            return True
        if t in f.types and t not in BUILTIN and p in f.full(t):
            return True
        t = decls[t]["parent"] if t in decls else (f.types[t].get("parent") if t in f.types else None)
    return False


def type_file(kind_note, decls, enums, structs):
    lines = header("device-types", ["tools/qemu72/properties.json", "tools/qemu72/types.json",
                                    "../shared/qemu/machines/compat.yaml"])
    lines.append("# %s" % kind_note)
    lines.append("# Parents, property names, types and defaults are what QEMU 7.2 reports (qom-list-types,")
    lines.append("# qom-list-properties, device-list-properties); a property whose default QEMU does not report is")
    lines.append("# marked default-unknown. Entries with a 'source' come from QEMU's source instead (see the generator).")
    if enums:
        lines.append("enums:")
        for n in sorted(enums):
            vals, why = ENUMS[n]
            lines.append("  %s: {values: %s, source: %s}" % (n, flow(vals), scalar(why)))
    if structs:
        lines.append("structs:")
        for n in sorted(structs):
            fields, why = STRUCTS[n]
            lines.append("  %s: {fields: %s, source: %s}" % (n, flow(fields), scalar(why)))
    lines.append("types:")
    for t in sorted(decls, key=lambda s: s.lower()):
        d = decls[t]
        lines.append("  - name: %s" % scalar(d["name"]))
        lines.append("    parent: %s" % scalar(d["parent"]))
        if d["abstract"]:
            lines.append("    abstract: true")
        if not d["abstract"] and d["name"] in user_creatable():
            lines.append("    interfaces: [user-creatable]")
        if d.get("source"):
            lines.append("    source: %s" % scalar(d["source"]))
        if not d["properties"]:
            lines.append("    properties: []")
            continue
        lines.append("    properties:")
        for p in d["properties"]:
            lines.append("      - %s" % flow(ordered(p)))
    return "\n".join(lines) + "\n"


_USER_CREATABLE = None


def user_creatable():
    """The types QEMU 7.2 lists as implementing user-creatable (qom-list-types {implements:
    user-creatable}, tools/qemu72/all-types.json): what -object creates and -object help lists."""
    global _USER_CREATABLE
    if _USER_CREATABLE is None:
        with open(os.path.join(FACTS72, "all-types.json")) as fh:
            _USER_CREATABLE = set(json.load(fh)["user-creatable"])
    return _USER_CREATABLE


def used_named_types(decls):
    enums, structs = set(), set()
    for d in decls.values():
        for p in d["properties"]:
            t = p["type"]
            inner = re.fullmatch(r"list<(.+)>", t)
            t = inner.group(1) if inner else t
            if t in ENUMS:
                enums.add(t)
            elif t in STRUCTS:
                structs.add(t)
    return enums, structs


def check_named_types(decls):
    known = {"bool", "str", "string", "size", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
             "uint64", "OnOffAuto", "list<str>", "list<uint16>"}
    for d in decls.values():
        for p in d["properties"]:
            t = p["type"]
            if t in known or t.startswith("link<") or t in ENUMS or t in LIST_OF_STRUCT.values():
                continue
            raise KeyError("property %s.%s has type %s: map it (ENUMS, STRUCTS, TYPE_ALIASES)" % (d["name"], p["name"], t))


# ---------------------------------------------------------------------------------------------
# default device graphs

SKIP_LINK_TYPES = ("link<irq>", "link<memory-region>")


def nat_key(path):
    return [int(x) if x.isdigit() else x for x in re.split(r"(\d+)", path)]


def graph(f, decls, machine, machine_props, machine_options=None):
    """The default device graph of one machine, as QEMU 7.2 creates it under /machine. Machine
    properties the family's default-machine-options set (firmware=...) are left out: the resolver
    derives them from that option, which changes between versions."""
    from_options = set()
    for part in (machine_options or "").split(","):
        if "=" in part:
            from_options.add(part.split("=", 1)[0])
    g = f.graphs[machine]["objects"]
    ptypes = f.graph_types
    paths = sorted((p for p, o in g.items() if o["type"] != "container"), key=nat_key)
    ids = {}
    unattached = "/machine/unattached/"
    by_type = {}
    for p in paths:
        if p.startswith(unattached) and re.fullmatch(r"device\[\d+\]", p[len(unattached):]):
            by_type.setdefault(g[p]["type"], []).append(p)
    for p in paths:
        o = g[p]
        if p == "/machine":
            ids[p] = "machine"
        elif p == unattached + "sysbus":
            ids[p] = "sysbus"
        elif p.startswith(unattached) and re.fullmatch(r"device\[\d+\]", p[len(unattached):]):
            t = o["type"]
            same = by_type[t]
            base = "cpu" if f.isa(t, "cpu") else t
            if f.isa(t, "cpu"):
                cpus = [q for q in paths if q.startswith(unattached) and q.count("/") == 3 and f.isa(g[q]["type"], "cpu")]
                ids[p] = "cpu[%d]" % cpus.index(p)
            else:
                named = "/machine/" + base in g  # a named child of /machine already has this name
                ids[p] = base if len(same) == 1 and not named else "%s[%d]" % (base, same.index(p))
        else:
            parent = p.rsplit("/", 1)[0]
            name = p.rsplit("/", 1)[1]
            ids[p] = name if parent == "/machine" else ids[parent] + "/" + name
    devices = []
    # in the order the board realizes them: the order QEMU numbers /machine/unattached/device[N] in
    for p in sorted(paths, key=nat_key):
        o = g[p]
        t = o["type"]
        d = {"id": ids[p], "type": t if p != "/machine" else "<machine>", "qemu-path": p}
        parent = p.rsplit("/", 1)[0]
        if parent not in ("/machine", "/machine/unattached", "") and p != "/machine":
            d["parent"] = ids[parent]
        bus = o["links"].get("parent_bus")
        if bus:
            d["bus"] = ids.get(bus, bus)
        vals = dict(o["values"])
        if "addr" in vals and f.isa(t, "pci-device"):
            devfn = vals.pop("addr")
            d["address"] = "%02x.%d" % (devfn >> 3, devfn & 7)
        known = props_with_defaults(f, decls, t, machine_props if p == "/machine" else None)
        props = {}
        for name in sorted(vals):
            if name not in known or (p == "/machine" and name in from_options):
                continue  # state (realized, ...), read-only values, or properties outside the catalog
            spec = known[name]
            if spec.get("cpu-model"):
                continue
            v = vals[name]
            if isinstance(v, dict) and "error" in v:
                continue
            if "default" in spec and same_value(spec["default"], v):
                continue
            if "default" not in spec and not spec.get("default-unknown") and v in ("", None):
                continue  # an unset string or link reads back as ""
            props[name] = v
        sets = board_sets.sets_for(machine, ids[p])
        if sets:
            d["set"] = sets
        if props:
            d["observed"] = props
        links = {}
        for name in sorted(o["links"]):
            if name == "parent_bus" or re.fullmatch(r"child\[\d+\]", name):
                continue
            lt = ptypes.get(t, {}).get(name, "")
            if lt in SKIP_LINK_TYPES:
                continue
            target = o["links"][name]
            if not target:
                continue
            links[name] = ids.get(target, target)
        if links:
            d["links"] = links
        devices.append(d)
    board_sets.check_rules(machine, {d["id"] for d in devices})
    return devices


def versions_walked(f, names, walked):
    """The other versions of a family walked with defaults (their default devices are checked to be the
    walked version's)."""
    return [n for n in names if n != walked and n in f.default_graphs]


def defaults_of(f, decls, machine, machine_props, machine_options, devs, others):
    """The default devices of a machine (tools/default_devices.py) from its walk without -nodefaults."""
    if machine not in f.default_graphs:
        return None
    walk = f.default_graphs[machine]["objects"]

    def devices_of(name):
        saved = f.graphs[name]
        f.graphs[name] = {"objects": {p: o for p, o in f.default_graphs[name]["objects"].items()
                                      if not p.startswith("/chardevs")}}
        try:
            return graph(f, decls, name, machine_props, machine_options)
        finally:
            f.graphs[name] = saved

    full = devices_of(machine)
    extra = default_devices.extras(devs, full)
    by_id = {d["id"]: d for d in full}
    out = default_devices.describe(extra, by_id)
    for c in default_devices.chardevs(walk):
        port = next((d for d in out if d.get("observed", {}).get("chardev") == c["id"].split("/", 1)[1]), None)
        c["after"] = port["id"] if port else None
        out += default_devices.describe([c], by_id)
    out += default_devices.describe([default_devices.monitor()], by_id)
    for d in out:
        sets = board_sets.default_sets_for(machine, d["id"])
        if sets:
            d["set"] = sets
    board_sets.check_default_rules(machine, {d["id"] for d in out})
    for other in others:
        # the VGA's model follows the version's default-display option (get_default_vga_model): compared by kind
        def key(d):
            k = default_devices.kind_of(d)
            return (k, None) if k in ("vga", "nic") else (d["id"], d["type"])
        theirs = [key(d) for d in default_devices.extras(graph(f, decls, other, machine_props, machine_options),
                                                         devices_of(other))]
        mine = [key(d) for d in extra]
        if theirs != mine:
            raise ValueError("default devices of %s differ from %s's: %s vs %s" % (other, machine, theirs, mine))
    return out


def same_value(a, b):
    return a == b or str(a) == str(b)


def props_with_defaults(f, decls, t, machine_props):
    """name -> {default?, default-unknown?, cpu-model?} over t's declared chain (catalog + builtins
    as QEMU 7.2 reports them)."""
    out = {}
    chain = []
    c = t
    while c:
        chain.append(c)
        c = decls[c]["parent"] if c in decls else (f.types[c].get("parent") if c in f.types else None)
    for c in reversed(chain):
        if c in decls and c not in BUILTIN:  # a built-in type's declaration only has release defaults
            for p in decls[c]["properties"]:
                out[p["name"]] = p
        elif c in BUILTIN and c in f.types:
            for name, spec in f.full(c).items():
                if usable(spec):
                    d, unknown = declared_default(map_type(spec["type"]), spec)
                    e = {"name": name}
                    if d is not None:
                        e["default"] = d
                    if unknown:
                        e["default-unknown"] = True
                    out[name] = e
    if machine_props:
        for p in machine_props:
            out[p["name"]] = p
    if f.isa(t, "cpu"):
        for name, p in out.items():
            if p.get("default-unknown"):
                out[name] = dict(p, **{"cpu-model": True})
    return out


def emit_devices(lines, devices, indent):
    pad = " " * indent
    for d in devices:
        first = True
        for k in ("id", "type", "qemu-path", "parent", "bus", "address"):
            if k in d:
                lines.append("%s%s %s: %s" % (pad, "-" if first else " ", k, scalar(d[k])))
                first = False
        if "set" in d:
            lines.append("%s  set:" % pad)
            for group in d["set"]:
                lines.append("%s    - %s" % (pad, flow(group)))
        for k in ("observed", "links"):
            if k in d:
                lines.append("%s  %s: %s" % (pad, k, flow(d[k])))
        if "after" in d:
            lines.append("%s  after: %s" % (pad, scalar(d["after"])))
        if "default" in d:
            lines.append("%s  default:" % pad)
            lines.append("%s    kind: %s" % (pad, scalar(d["default"]["kind"])))
            lines.append("%s    removed-by: %s" % (pad, flow(d["default"]["removed-by"])))
            if "model" in d["default"]:
                lines.append("%s    model: %s" % (pad, scalar(d["default"]["model"])))
            lines.append("%s    source: %s" % (pad, flow(d["default"]["source"])))


# ---------------------------------------------------------------------------------------------
# machines/

def deprecated_since(name, m, reason):
    """The first release in which the type is deprecated, or None when that is not known (a type
    removed before 7.2, whose deprecation Machina never presents)."""
    if reason is None:
        return None
    if name in MANUAL_DEPRECATED_SINCE:
        return MANUAL_DEPRECATED_SINCE[name]
    if reason == DEPRECATION_POLICY:
        x = vkey(m["version"])
        at = "%d.%d" % (x[0] + 3, x[1])
        return at if vkey(at) > vkey(AUTO_DEPRECATION_FROM) else AUTO_DEPRECATION_FROM
    return None


def lifecycle(name, m):
    """(deprecated reason, removed-upstream-in, note) as seen from the newest QEMU read (10.2)."""
    eff = m.get("effective") or {}
    reason = None
    own = dict((m.get("own") or {}).get("sets") or [])
    if "MachineClass.deprecation_reason" in own:
        reason = c_string(own["MachineClass.deprecation_reason"])
    elif "MachineClass.deprecation_reason" in eff:
        reason = c_string(eff["MachineClass.deprecation_reason"])
    lc = m.get("lifecycle_10_2_0") or m.get("lifecycle_9_2") or {}
    if reason is None and lc.get("auto_deprecated"):
        reason = DEPRECATION_POLICY
    removed, note = None, None
    r = m.get("removed_from_source_in")
    if r:
        mm = re.match(r"(\d+\.\d+) or (\d+\.\d+)", r)
        if mm:
            removed, note = mm.group(2), "code removed in %s or %s; not registered from %s on at the latest" % (
                mm.group(1), mm.group(2), mm.group(2))
        elif r.startswith("after 1.3.0"):
            removed, note = "1.4", "QEMU 1.3 only; replaced by pc-q35-1.4 in 1.4 (QEMU 1.3 called it 'q35' too)"
        else:
            removed = re.match(r"(\d+\.\d+)", r).group(1)
    elif lc.get("not_registered"):
        # MACHINE_VER_DELETION: unconditional from 10.1; X.Y is deleted in A.B when A-X > 6, or == 6 and B >= Y
        ver = vkey(m["version"])
        removed = "10.1" if (10 - ver[0] > 6 or (10 - ver[0] == 6 and 1 >= ver[1])) else "10.2"
    elif name == "xenfv":
        removed, note = "5.0", "last seen in 4.1.0; from 5.0 on 'xenfv' is an alias of xenfv-3.1"
    return reason, removed, note


def version_entry(name, m, compat_names):
    own = m.get("own") or {}
    e = {"name": name}
    sets = list(own.get("sets") or [])
    compat = []
    for c in own.get("compat") or []:
        if c.startswith("inline static"):
            compat.append("pc-" + m["version"])
        elif c.startswith("PC_COMPAT_"):
            ver = c[len("PC_COMPAT_"):].replace("_", ".")
            if m["family"] == "q35":
                # macro era: PC_COMPAT_X_Y carried HW_COMPAT_X_Y and the pc entries, as the arrays do now
                compat += [n for n in ("hw-" + ver, "pc-" + ver) if n in compat_names]
            else:
                compat.append("pc-" + ver)
        else:
            compat.append(qemu_set_name(c))
    for c in compat:
        if c not in compat_names:
            raise KeyError("%s: unknown compat set %s" % (name, c))
    if compat:
        e["compat"] = compat
    opts = options_of([(k, v) for k, v in sets if k not in ("MachineClass.alias",)])
    if opts:
        e["options"] = opts
    reason, removed, note = lifecycle(name, m)
    lc = {}
    if reason:
        lc["deprecated"] = reason
        since = deprecated_since(name, m, reason)
        if since:
            lc["deprecated-since"] = since
    if removed:
        lc["removed-upstream-in"] = removed
    if note:
        lc["note"] = note
    if lc:
        e["lifecycle"] = lc
    e["source"] = src(m["source"], function=m.get("options_fn"))
    return e


def aliases_of(ms, names):
    """QEMU's alias and is_default of the newest type (DEFINE_*_MACHINE_AS_LATEST in 10.2)."""
    aliases, default = {}, None
    for n in names:
        ds = ms[n].get("define_macro_sets") or {}
        if ds.get("alias"):
            aliases[ds["alias"]] = n
        if ds.get("is_default"):
            default = n
    return aliases, default


def family_file(fam, qom, base_layers, versions, devices, devices_source, notes, aliases=None, default=None,
                default_devices=None):
    lines = header("machine-family", ["../shared/qemu/machines/machines.yaml", "tools/qemu72/graphs/*.json"])
    for n in notes:
        lines.append("# " + n)
    lines.append("family: %s" % scalar(fam))
    if aliases:
        lines.append("aliases: %s" % flow(aliases))
    if default:
        lines.append("default: %s" % scalar(default))
    lines.append("qom:")
    lines.append("  parent: %s" % scalar(qom["parent"]))
    if qom.get("properties"):
        lines.append("  properties:")
        for p in qom["properties"]:
            lines.append("    - %s" % flow(ordered(p)))
    lines.append("base:")
    for layer in base_layers:
        lines.append("  - source: %s" % flow(layer["source"]))
        if layer.get("options"):
            lines.append("    options:")
            for k, v in layer["options"].items():
                lines.append("      %s: %s" % (k, flow(v)))
        if layer.get("compat"):
            lines.append("    compat: %s" % flow(layer["compat"]))
    if devices is not None:
        lines.append("# the default device graph: what QEMU 7.2 creates for %s (-nodefaults -S), in" % devices_source)
        lines.append("# tools/qemu72/graphs/, in the order its board realizes the devices. 'set' is what the board")
        lines.append("# code sets before realize, with that code (tools/board_sets.py; the VM builder replays it);")
        lines.append("# 'observed' what QEMU 7.2 reported where it differs from the type's default (never replayed)")
        lines.append("devices:")
        emit_devices(lines, devices, 2)
    if default_devices:
        lines.append("# the devices QEMU 7.2 adds to that graph when -nodefaults is not given (tools/qemu72/graphs-defaults/,")
        lines.append("# tools/default_devices.py), in realize order: each is realized right after its 'after', which")
        lines.append("# shifts the /machine/unattached numbering of the devices behind it ('qemu-path' is its path in")
        lines.append("# the walk with defaults); 'default' says which options remove it, and where QEMU adds it")
        lines.append("default-devices:")
        emit_devices(lines, default_devices, 2)
    lines.append("versions:")
    for v in versions:
        lines.append("  - name: %s" % scalar(v["name"]))
        for k in ("inherits",):
            if k in v:
                lines.append("    %s: %s" % (k, scalar(v[k])))
        if v.get("compat"):
            lines.append("    compat: %s" % flow(v["compat"]))
        if v.get("options"):
            lines.append("    options:")
            for k, val in v["options"].items():
                lines.append("      %s: %s" % (k, flow(val)))
        if v.get("lifecycle"):
            lines.append("    lifecycle: %s" % flow(v["lifecycle"]))
        lines.append("    source: %s" % flow(v["source"]))
    return "\n".join(lines) + "\n"


def class_layer(d, key, fn):
    c = d["class_defaults"][key]
    return {"source": src(c["source"], function=fn), "options": options_of(c["sets"])}


PC_MACHINES = ("isapc-machine", "pc-i440fx-7.2-machine", "pc-q35-7.2-machine")


def machine_props(f, qom_type, parent, hoisted=()):
    """Properties a concrete machine QOM type adds to its parent, from QEMU 7.2 (with the defaults
    tools/type_defaults.py read in QEMU's source)."""
    out = machine_props_72(f, qom_type, parent, hoisted)
    if qom_type in type_defaults.MACHINE_TYPES:
        type_defaults.apply_to_list(qom_type, out)
    return out


def machine_props_72(f, qom_type, parent, hoisted=()):
    mine = f.full(qom_type) if qom_type in f.props and f.props[qom_type].get("qom-list-properties") else {}
    if not mine:
        mine = {n: {"name": n, "type": t} for n, t in f.graph_types.get(qom_type, {}).items()}
    inherited = f.full(parent)
    out = []
    for n in sorted(mine):
        spec = mine[n]
        if not usable(spec) or spec["type"].startswith("link<") and n in inherited or n in hoisted:
            continue
        if n in inherited and inherited[n]["type"] == spec["type"]:
            continue
        out.append(prop_entry(n, spec))
    return out


def pc_machine_props(f):
    """Instance properties every PC machine type QEMU 7.2 has (isapc, i440fx, q35) reports: they come
    from the generic PC machine (its instance_init), so generic-pc-machine declares them."""
    common = None
    for t in PC_MACHINES:
        names = {json.dumps(p, sort_keys=True) for p in machine_props(f, t, "generic-pc-machine")}
        common = names if common is None else common & names
    return sorted((json.loads(x) for x in common), key=lambda p: p["name"])


def gen_machines(f, decls, compat, d):
    compat_names = {qemu_set_name(a) for a in compat if not a.startswith("_")}
    pc_hoisted = {p["name"] for p in decls["generic-pc-machine"]["properties"]}
    ms = d["machines"]
    files = {}
    base_common = [class_layer(d, "machine_class_init", "machine_class_init"),
                   class_layer(d, "x86_machine_class_init", "x86_machine_class_init")]
    pc_base = base_common + [class_layer(d, "pc_machine_class_init", "pc_machine_class_init")]

    def fam_layer(key, fn):
        c = d["family_base_options"][key]
        layer = {"source": src(c["source"], function=fn), "options": options_of(c["sets"])}
        if c.get("compat"):
            layer["compat"] = [qemu_set_name(x) for x in c["compat"]]
        return layer

    def versions_of(prefixes):
        names = [n for n in ms if n.startswith(prefixes)]
        def k(n):
            return vkey(ms[n]["version"])
        return sorted(names, key=k, reverse=True)

    families = [
        ("pc-i440fx", ("pc-i440fx-", "pc-1.", "pc-0."), "generic-pc-machine",
         pc_base + [fam_layer("pc_i440fx_machine_options@10.2.0", "pc_i440fx_machine_options")], "pc-i440fx-7.2"),
        ("pc-q35", ("pc-q35-",), "generic-pc-machine",
         pc_base + [fam_layer("pc_q35_machine_options@10.2.0", "pc_q35_machine_options")], "pc-q35-7.2"),
    ]
    for fam, prefixes, qparent, base, walked in families:
        names = versions_of(prefixes)
        versions = [version_entry(n, ms[n], compat_names) for n in names]
        qom = {"parent": qparent, "properties": machine_props(f, walked + "-machine", qparent, pc_hoisted)}
        dmo = next((layer["options"]["default-machine-options"] for layer in reversed(base)
                    if "default-machine-options" in layer["options"]), None)
        devs = graph(f, decls, walked, qom["properties"], dmo)
        defaults = defaults_of(f, decls, walked, qom["properties"], dmo, devs, versions_walked(f, names, walked))
        notes = ["Versions are newest first; each one is the next newer one plus its own compat sets and options",
                 "(QEMU's rule). Options are MachineClass fields under kebab-case names; lifecycle is as of QEMU 10.2",
                 "(deprecated-since: the first release that deprecates the type; removed-upstream-in: the first without it)."]
        aliases, default = aliases_of(ms, names)
        files["machines/%s.yaml" % fam] = family_file(fam, qom, base, versions, devs, walked, notes, aliases, default,
                                                      defaults)

    # isapc: one type, the generic PC class defaults plus its own options function
    m = ms["isapc"]
    base = pc_base + [{"source": src(m["source"], function=m["options_fn"]), "options": options_of(m["own"]["sets"])}]
    qom = {"parent": "generic-pc-machine", "properties": machine_props(f, "isapc-machine", "generic-pc-machine", pc_hoisted)}
    v = version_entry("isapc", m, compat_names)
    v.pop("options", None)
    devs = graph(f, decls, "isapc", qom["properties"])
    files["machines/isapc.yaml"] = family_file("isapc", qom, base, [v], devs, "isapc", [],
                                               default_devices=defaults_of(f, decls, "isapc", qom["properties"], None, devs, []))
    # microvm and none: other_machines of machines.yaml
    om = d["other_machines"]
    mv = om["microvm"]
    layer = {"source": src(mv["source"], function=mv["source"].get("function")), "options": options_of(mv["sets"]),
             "compat": [qemu_set_name(x) for x in mv["compat"]]}
    qom = {"parent": "x86-machine", "properties": machine_props(f, "microvm-machine", "x86-machine")}
    v = {"name": "microvm", "source": src(mv["source"], function=mv["source"].get("function"))}
    files["machines/microvm.yaml"] = family_file("microvm", qom, base_common + [layer], [v],
                                                 graph(f, decls, "microvm", qom["properties"]), "microvm", [])
    nm = om["none"]
    layer = {"source": src(nm["source"], function=nm["source"].get("function")), "options": options_of(nm["sets"])}
    qom = {"parent": "machine", "properties": machine_props(f, "none-machine", "machine")}
    v = {"name": "none", "source": src(nm["source"], function=nm["source"].get("function"))}
    files["machines/none.yaml"] = family_file("none", qom, [base_common[0], layer], [v],
                                              graph(f, decls, "none", qom["properties"]), "none", [])
    # x-remote, nitro-enclave, xenpvh: the rest of other_machines (the aliases pc, q35, xenfv are not types)
    files.update(gen_other_machines(f, decls, om, base_common))
    # xenfv: the QEMU <= 4.1 type, and the two 5.0+ types that derive from pc-i440fx versions
    x = ms["xenfv"]
    layer = {"source": src(x["source"], function=x["options_fn"]), "options": options_of(x["own"]["sets"])}
    v = version_entry("xenfv", ms["xenfv"], compat_names)
    v.pop("options", None)
    versions = [v]  # first: it derives from the family base, the others name what they inherit
    for n in ("xenfv-4.2", "xenfv-3.1"):
        e = version_entry(n, ms[n], compat_names)
        e["inherits"] = ms[n]["inherits_from_machine"]
        if n == "xenfv-3.1":
            # QEMU 5.0+ sets alias 'xenfv' here; that name belongs to the older type kept above
            e.setdefault("lifecycle", {})["note"] = "QEMU 5.0+ also calls this type 'xenfv' (an alias)"
        versions.append(e)
    qom = {"parent": "generic-pc-machine", "properties": []}
    files["machines/xenfv.yaml"] = family_file(
        "xenfv", qom, pc_base + [layer], versions, None, None,
        ["Xen HVM guests (Xen builds only; QEMU 7.2 from Debian has none, so there is no device graph).",
         "xenfv is the standalone type of QEMU <= 4.1; xenfv-4.2 and xenfv-3.1 derive from pc-i440fx versions."])
    # q35-next: QEMU 1.3's first Q35 type
    q = ms["q35-next"]
    layer = {"source": src(q["source"]), "options": {"description": "Q35 chipset PC", "max-cpus": 255}}
    v = {"name": "q35-next", "lifecycle": lifecycle("q35-next", q)}
    v["lifecycle"] = {k: val for k, val in zip(("deprecated", "removed-upstream-in", "note"), v["lifecycle"]) if val}
    v["source"] = src(q["source"])
    files["machines/q35-next.yaml"] = family_file(
        "q35-next", {"parent": "generic-pc-machine", "properties": []}, [layer], [v], None, None,
        ["QEMU 1.3's Q35 type (a static QEMUMachine: only its description and max_cpus are known)."])
    return files


def other_note(name, om):
    """The lifecycle note of an other_machines type, checked against its defined_by text."""
    must_say, note = OTHER_NOTES[name]
    if must_say not in om[name]["defined_by"]:
        raise ValueError("%s: machines.yaml defined_by no longer says %r; update OTHER_NOTES" % (name, must_say))
    return note


def gen_other_machines(f, decls, om, base_common):
    files = {}

    def own(name):
        m = om[name]
        return {"source": src(m["source"], function=m["source"].get("function")), "options": options_of(m["sets"])}

    def version(name, lifecycle_note=None):
        v = {"name": name}
        if name in SINCE:
            v.setdefault("lifecycle", {})["since"] = SINCE[name]
        if lifecycle_note:
            v.setdefault("lifecycle", {})["note"] = lifecycle_note
        v["source"] = src(om[name]["source"], function=om[name]["source"].get("function"))
        return v

    # x-remote: TYPE_REMOTE_MACHINE ("x-remote-machine"), parent TYPE_MACHINE. Its class_init sets only
    # desc (and init), so machine_class_base_init's max_cpus of 1 holds; QEMU 7.2 walked it.
    base_init = {"source": src(CLASS_BASE_INIT["source"], function=CLASS_BASE_INIT["source"]["function"]),
                 "options": options_of(CLASS_BASE_INIT["sets"])}
    qom = {"parent": "machine", "properties": machine_props(f, "x-remote-machine", "machine")}
    files["machines/x-remote.yaml"] = family_file(
        "x-remote", qom, [base_common[0], base_init, own("x-remote")], [version("x-remote")],
        graph(f, decls, "x-remote", qom["properties"]), "x-remote",
        ["The multi-process QEMU remote machine (experimental: the x- prefix), parent TYPE_MACHINE.",
         "remote_machine_class_init sets no max_cpus, so machine_class_base_init's default of 1 applies",
         "(that layer names the function only: its line in 10.2.0 was not read)."])

    # nitro-enclave: parent microvm. QOM copies microvm's class, so its options are microvm's plus its own;
    # machine_class_base_init then gives the class an empty compat_props, so microvm's compat set is not
    # inherited (nitro_enclave_class_init adds none). QEMU 7.2 predates it, so there is no walk; and its
    # init (nitro_enclave_machine_state_init) and instance_init (pcie and acpi off) differ from microvm's,
    # so microvm's graph is not its graph.
    mv = om["microvm"]
    microvm_options = {"source": src(mv["source"], function=mv["source"].get("function")),
                       "options": options_of(mv["sets"])}
    files["machines/nitro-enclave.yaml"] = family_file(
        "nitro-enclave", {"parent": "microvm-machine", "properties": []},
        base_common + [microvm_options, own("nitro-enclave")],
        [version("nitro-enclave", other_note("nitro-enclave", om))], None, None,
        ["AWS Nitro Enclave (hw/i386/nitro_enclave.c), a subclass of microvm-machine.",
         "Options: QOM copies microvm's class, so its class_init values hold unless nitro_enclave_class_init sets",
         "them. Compat: none. machine_class_base_init gives every non-abstract machine class an empty compat_props",
         "before its class_init, so microvm's set (microvm-defaults) is not inherited.",
         "No device graph: QEMU 7.2 predates the type (added in 9.2), and its init and instance_init differ",
         "from microvm's (at qemu/qemu commit 019fbfa4 they add vhost-user-vsock and virtio-nsm devices and",
         "turn pcie and acpi off), so microvm's graph is not its graph.",
         "Its own class properties (vsock, id, parent-role, parent-id) are not collected."])

    # xenpvh: TYPE_XEN_PVH_X86, parent xen-pvh-base (TYPE_XEN_PVH_MACHINE, abstract). Xen builds only.
    files["machines/xenpvh.yaml"] = family_file(
        "xenpvh", {"parent": "xen-pvh-base-machine", "properties": []},
        [base_common[0], own("xenpvh")], [version("xenpvh", other_note("xenpvh", om))], None, None,
        ["Xen PVH x86 machine (hw/i386/xen/xen-pvh.c), parent xen-pvh-base-machine. Xen builds only: QEMU 7.2",
         "from Debian has none, so there is no device graph.",
         "Not modelled, because the facts do not give it: the class_init of xen-pvh-base (hw/xen/xen-pvh-common.c",
         "xen_pvh_class_init) has not been read in a release tree, so its values are not applied and the options",
         "it may set inherit machine_class_init (in one non-release tree, qemu/qemu commit 12d1a768, it sets",
         "default_machine_opts \"accel=xen\" and default_ram_size 0; take those in once read at a release).",
         "The class properties xen_pvh_class_setup_common_props adds are not collected either."])
    return files


# ---------------------------------------------------------------------------------------------

def generate():
    compat = yaml.safe_load(open(os.path.join(SHARED, "compat.yaml")))
    mdata = yaml.safe_load(open(os.path.join(SHARED, "machines.yaml")))
    f = Facts72()
    decls = catalog(f, compat)
    check_named_types(decls)
    files = gen_compat(compat)
    files.update(gen_machines(f, decls, compat, mdata))
    groups = {"cpu": {}, "machine": {}, "devices": {}, "objects": {}}
    for t, decl in decls.items():
        if f.isa(t, "cpu") or MISSING_TYPES.get(t, ("",))[0] in ("cpu", "x86_64-cpu"):
            groups["cpu"][t] = decl
        elif f.isa(t, "machine") or MISSING_TYPES.get(t, ("",))[0] == "machine":
            groups["machine"][t] = decl
        elif f.isa(t, "device") or f.isa(t, "bus") or (t in MISSING_TYPES and t not in USER_TYPES):
            groups["devices"][t] = decl
        else:
            groups["objects"][t] = decl
    notes = {"cpu": "Every x86 CPU type of QEMU 7.2 (-cpu NAME is NAME-x86_64-cpu) and the ones compat arrays name, and their bases.",
             "machine": "The abstract machine bases of the x86 machine families.",
             "devices": "Devices and buses that compat arrays name or default device graphs contain.",
             "objects": "Other objects that compat arrays name (memory backends, confidential-guest types), and\n"
                        "# memory-backend-ram, the backend users create most (-object)."}
    for g, ds in groups.items():
        enums, structs = used_named_types(ds)
        if g == "machine":  # also what the families' own machine properties use
            for path, text in files.items():
                if path.startswith("machines/") and "machine-family" in text:
                    structs |= {n for n in STRUCTS if "list<%s>" % n in text}
        files["machines/types/%s.yaml" % g] = type_file(notes[g], ds, enums, structs)
    return files


def write(path, text):
    full = os.path.join(ROOT, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    tmp = full + ".tmp"
    with open(tmp, "w") as out:
        out.write(text)
    os.replace(tmp, full)


# type files another generator writes (tools/gen_device_types.py: every other QEMU 7.2 device and object type)
OTHER_GENERATED = ("# Generated by tools/gen_device_types.py", "# Generated by tools/gen_added_device_types.py")


def main():
    files = generate()
    if "--check" in sys.argv[1:]:
        stale = []
        for path, text in sorted(files.items()):
            full = os.path.join(ROOT, path)
            if not os.path.exists(full) or open(full).read() != text:
                stale.append(path)
        for d in ("machines", "compat", "machines/types"):
            for name in sorted(os.listdir(os.path.join(ROOT, d))):
                p = d + "/" + name
                if p.endswith(".yaml") and p not in files and not open(os.path.join(ROOT, p)).readline().startswith(OTHER_GENERATED):
                    stale.append(p + " (not generated)")
        if stale:
            print("stale generated files (run python3 %s):" % GENERATOR)
            for s in stale:
                print("  " + s)
            return 1
        print("%d generated files are up to date" % len(files))
        return 0
    for path, text in sorted(files.items()):
        write(path, text)
    print("wrote %d files" % len(files))
    return 0


if __name__ == "__main__":
    sys.exit(main())
