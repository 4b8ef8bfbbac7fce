"""Property defaults read from QEMU's source where QEMU 7.2's introspection does not report them.

QEMU's device-list-properties gives the default of a qdev property (DEFINE_PROP_*), but not of a
property an instance_init function sets (x86_machine_initfn: acpi = auto), nor of one QOM adds with a
pointer to a field (object_property_add_uint8_ptr: the field's value at init). Those are the type's
defaults all the same: the value every object starts with, before compat properties, -global, the
board and the user. Each entry here was read in QEMU 7.2.0's source (Debian's qemu 1:7.2+dfsg
source package, the upstream 7.2.0 tree) at the file and line given.

tools/gen_machines.py puts these into machines/types/*.yaml as the property's `default` with a
`source`, in place of `default-unknown`.
"""

RELEASE = "7.2.0"


def at(file, line, function):
    return "QEMU %s %s:%d %s" % (RELEASE, file, line, function)


# type -> property -> (default, where)
DEFAULTS = {
    "x86-machine": {
        "smm": ("auto", at("hw/i386/x86.c", 1426, "x86_machine_initfn")),
        "acpi": ("auto", at("hw/i386/x86.c", 1427, "x86_machine_initfn")),
        "pit": ("auto", at("hw/i386/x86.c", 1428, "x86_machine_initfn")),
        "pic": ("auto", at("hw/i386/x86.c", 1429, "x86_machine_initfn")),
        # ACPI_BUILD_APPNAME6 "BOCHS " and ACPI_BUILD_APPNAME8 "BXPC    " (include/hw/acpi/aml-build.h)
        "x-oem-id": ("BOCHS ", at("hw/i386/x86.c", 1431, "x86_machine_initfn")),
        "x-oem-table-id": ("BXPC    ", at("hw/i386/x86.c", 1432, "x86_machine_initfn")),
        "bus-lock-ratelimit": (0, at("hw/i386/x86.c", 1433, "x86_machine_initfn")),
        # an SGX EPC list that nothing filled in: the QAPI list is empty
        "sgx-epc": ([], at("hw/i386/x86.c", 1422, "x86_machine_initfn")),
    },
    "generic-pc-machine": {
        # CONFIG_VMPORT is set in Debian's build (vmport exists); pc_init1 and pc_q35_init turn auto into on
        "vmport": ("auto", at("hw/i386/pc.c", 1820, "pc_machine_initfn")),
        "max-ram-below-4g": (0, at("hw/i386/pc.c", 1824, "pc_machine_initfn")),
        "smbios-entry-point-type": ("32", at("hw/i386/pc.c", 1825, "pc_machine_initfn")),
        "smbus": (True, at("hw/i386/pc.c", 1829, "pc_machine_initfn")),
        "sata": (True, at("hw/i386/pc.c", 1830, "pc_machine_initfn")),
        "i8042": (True, at("hw/i386/pc.c", 1831, "pc_machine_initfn")),
        "max-fw-size": (8 << 20, at("hw/i386/pc.c", 1832, "pc_machine_initfn")),
        "hpet": (True, at("hw/i386/pc.c", 1834, "pc_machine_initfn")),
        "default-bus-bypass-iommu": (False, at("hw/i386/pc.c", 1836, "pc_machine_initfn")),
        # cxl_machine_init: the CXL state starts disabled with no fixed memory windows
        "cxl": (False, at("hw/cxl/cxl-host.c", 310, "cxl_machine_init")),
        "cxl-fmw": ([], at("hw/cxl/cxl-host.c", 316, "cxl_machine_init")),
        # machine_initfn: nvdimms_state and numa_state are zeroed (is_enabled and hmat_enabled false)
        "nvdimm": (False, at("hw/core/machine.c", 1067, "machine_initfn")),
        "hmat": (False, at("hw/core/machine.c", 1083, "machine_initfn")),
        # pc_machine_get_device_memory_region_size: 0 while the machine has no device memory (no maxmem)
        "device-memory-region-size": (0, at("hw/i386/pc.c", 1616, "pc_machine_get_device_memory_region_size")),
    },
    "microvm-machine": {
        "rtc": ("auto", at("hw/i386/microvm.c", 614, "microvm_machine_initfn")),
        "pcie": ("auto", at("hw/i386/microvm.c", 615, "microvm_machine_initfn")),
        "ioapic2": ("auto", at("hw/i386/microvm.c", 616, "microvm_machine_initfn")),
        "isa-serial": (True, at("hw/i386/microvm.c", 617, "microvm_machine_initfn")),
        "x-option-roms": (True, at("hw/i386/microvm.c", 618, "microvm_machine_initfn")),
        "auto-kernel-cmdline": (True, at("hw/i386/microvm.c", 619, "microvm_machine_initfn")),
        "hmat": (False, at("hw/core/machine.c", 1083, "machine_initfn")),
    },
    "x-remote-machine": {
        "auto-shutdown": (True, at("hw/remote/machine.c", 111, "remote_machine_instance_init")),
        # the field is zeroed with the object and only the setter changes it
        "vfio-user": (False, at("hw/remote/machine.c", 89, "remote_machine_set_vfio_user")),
    },
    # What a CPU model sets on its CPU object (x86_cpu_load_model, builtin_x86_defs) is read from the
    # source by tools/qemu_cpu_models.py (tools/qemu-source/cpu-models-7.2.0.json), not listed here.
    "apic-common": {
        "legacy-instance-id": (False, at("hw/intc/apic_common.c", 422, "apic_properties_common")),
    },
    "isa-fdc": {
        # device_add_bootindex_property (softmmu/bootdevice.c) starts the index at -1: no boot order
        "bootindexA": (-1, at("hw/block/fdc-isa.c", 302, "isa_fdc_instance_init")),
        "bootindexB": (-1, at("hw/block/fdc-isa.c", 305, "isa_fdc_instance_init")),
    },
    "VGA": {
        # object_property_add_bool(obj, "big-endian-framebuffer", ...) reads vga.big_endian_fb: zero at
        # instance init, and vga_common_reset sets it from default_endian_fb, false on x86 (vga.c:1855)
        "big-endian-framebuffer": (False, at("hw/display/vga-pci.c", 393, "vga_class_init")),
    },
    "ICH9-LPC": {
        "acpi_enable_cmd": (2, at("hw/isa/lpc_ich9.c", 660, "ich9_lpc_initfn")),   # ICH9_APM_ACPI_ENABLE
        "acpi_disable_cmd": (3, at("hw/isa/lpc_ich9.c", 661, "ich9_lpc_initfn")),  # ICH9_APM_ACPI_DISABLE
        "x-smi-negotiated-features": (0, at("hw/isa/lpc_ich9.c", 669, "ich9_lpc_initfn")),
        "memory-hotplug-support": (True, at("hw/acpi/ich9.c", 436, "ich9_pm_add_properties")),
        "cpu-hotplug-legacy": (True, at("hw/acpi/ich9.c", 437, "ich9_pm_add_properties")),
        "disable_s3": (0, at("hw/acpi/ich9.c", 438, "ich9_pm_add_properties")),
        "disable_s4": (0, at("hw/acpi/ich9.c", 439, "ich9_pm_add_properties")),
        "s4_val": (2, at("hw/acpi/ich9.c", 440, "ich9_pm_add_properties")),
        "acpi-pci-hotplug-with-bridge-support": (True, at("hw/acpi/ich9.c", 441, "ich9_pm_add_properties")),
        "x-keep-pci-slot-hpc": (True, at("hw/acpi/ich9.c", 442, "ich9_pm_add_properties")),
        # PMBASE is the firmware's to program: 0 until it does
        "pm_io_base": (0, at("hw/acpi/ich9.c", 444, "ich9_pm_add_properties")),
        "gpe0_blk_len": (16, at("hw/acpi/ich9.c", 435, "ich9_pm_add_properties")),  # ICH9_PMIO_GPE0_LEN
    },
}


def apply_to_list(type_name, props):
    """The defaults of one concrete machine type, whose properties its family file declares."""
    for name, (value, where) in DEFAULTS.get(type_name, {}).items():
        for p in props:
            if p["name"] == name:
                p.pop("default-unknown", None)
                p["default"] = value
                p["source"] = where
                break
        else:
            raise KeyError("type_defaults.py: %s declares no %s" % (type_name, name))


MACHINE_TYPES = {"microvm-machine", "x-remote-machine"}


# device_add_bootindex_property sets every bootindex property it adds to -1 (no boot order)
BOOTINDEX = (-1, at("softmmu/bootdevice.c", 343, "device_add_bootindex_property"))


def apply(decls, has_property):
    """Sets the defaults above on the declarations (machines/types), replacing default-unknown.
    A property the type inherits is declared again on the type with its own default (QOM lets a type
    change an inherited property's default); one no declaration has is an error (a stale fact)."""
    for t, props in DEFAULTS.items():
        if t in MACHINE_TYPES:
            continue  # declared by their family files (apply_to_list)
        for name, (value, where) in props.items():
            owner = t
            while owner in decls and not any(p["name"] == name for p in decls[owner]["properties"]):
                owner = decls[owner]["parent"]
            if owner not in decls:
                raise KeyError("type_defaults.py: no declaration of %s.%s" % (t, name))
            inherited = next(p for p in decls[owner]["properties"] if p["name"] == name)
            if owner != t:
                mine = {"name": name, "type": inherited["type"]}
                decls[t]["properties"].append(mine)
                decls[t]["properties"].sort(key=lambda x: x["name"])
            else:
                mine = inherited
            mine.pop("default-unknown", None)
            mine["default"] = value
            mine["source"] = where
    for t, d in decls.items():
        for p in d["properties"]:
            if p["name"] == "bootindex" and p.get("default-unknown"):
                p.pop("default-unknown", None)
                p["default"], p["source"] = BOOTINDEX
