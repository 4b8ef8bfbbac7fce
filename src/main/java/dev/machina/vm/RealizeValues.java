package dev.machina.vm;

import dev.machina.machine.MachineOption;
import dev.machina.qom.QomObject;
import dev.machina.qom.ValueOrigin;
import java.util.List;
import java.util.Optional;

/**
 * Values QEMU computes while it builds and realizes the board, from the RAM size, the topology and
 * the properties compat sets give (so old machine types get old values), computed here as QEMU's
 * code does. Each gets a {@link ValueOrigin.Computed} origin naming the rule and where QEMU has it
 * (QEMU 7.2.0's source). What the dry run reports for them is what QEMU 7.2's {@code qom-get} gives
 * after realize with no guest code run yet.
 *
 * <ul>
 *   <li>the RAM split below and above 4 GiB ({@link MemoryLayout}): {@code pc_init1} (i440FX, isapc)
 *       and {@code pc_q35_init} (Q35);</li>
 *   <li>the Q35 host's {@code below-4g-mem-size}/{@code above-4g-mem-size}, which {@code pc_q35_init}
 *       sets from that split;</li>
 *   <li>the PCI holes of the i440FX and Q35 hosts ({@code pci-hole-*}, {@code pci-hole64-*}): below 4
 *       GiB from the end of low RAM to the IOAPIC; above 4 GiB, with {@code x-pci-hole64-fix} (off for
 *       machine types before 2.11 and 3.0 by compat), from the end of high RAM rounded up to 1 GiB
 *       and {@code pci-hole64-size} long, else 0;</li>
 *   <li>mc146818rtc's {@code base_year} 2000, which realize turns into 0 (the century is kept in CMOS);</li>
 *   <li>ICH9-LPC's {@code sci_int} (IRQ 9 after reset) and {@code gpe0_blk} (PMBASE + 0x20);</li>
 *   <li>virtio-mmio's {@code ioeventfd}, which realize turns off without KVM;</li>
 *   <li>a CPU's {@code socket-id}/{@code die-id}/{@code core-id}/{@code thread-id}, which
 *       {@code x86_cpu_pre_plug} derives from its APIC id and the topology, and what
 *       {@code x86_cpu_realizefn} derives from the CPU model ({@link CpuRealize}).</li>
 * </ul>
 */
final class RealizeValues {
    private RealizeValues() {}

    /** QEMU's IO_APIC_DEFAULT_ADDRESS (include/hw/i386/ioapic.h): the 32-bit PCI hole ends below it. */
    static final long IO_APIC_DEFAULT_ADDRESS = 0xfec00000L;
    private static final long GIB = 1L << 30;

    /** Where RAM sits: below 4 GiB and from 4 GiB up; {@link #UNKNOWN} for a board whose split is not modelled (Xen's). */
    record MemoryLayout(long below4g, long above4g) {
        static final MemoryLayout UNKNOWN = new MemoryLayout(-1, -1);

        boolean known() {
            return this != UNKNOWN;
        }
    }

    static void apply(VmSpec spec, List<BuiltObject> built, BuiltObject machine) {
        MemoryLayout layout = layout(spec, machine);
        PortCounters ports = new PortCounters();
        ports.serials = spec.defaults().serialPorts();
        for (BuiltObject o : built) {
            QomObject q = o.object();
            if (o.isA("q35-pcihost") && layout.known()) {
                set(q, "below-4g-mem-size", layout.below4g(), "pc_q35_init sets the host's low RAM size (hw/i386/pc_q35.c:229)");
                set(q, "above-4g-mem-size", layout.above4g(), "pc_q35_init sets the host's high RAM size (hw/i386/pc_q35.c:231)");
            }
            if ((o.isA("i440FX-pcihost") || o.isA("q35-pcihost")) && layout.known()) {
                holes(q, layout, machine, o.isA("q35-pcihost") ? "hw/pci-host/q35.c" : "hw/pci-host/i440fx.c");
            }
            if (o.isA("mc146818rtc") && q.value("base_year").filter(v -> v.equals(2000L)).isPresent()) {
                set(q, "base_year", 0L, "rtc_realizefn keeps the century in CMOS and counts from 0 for base_year 2000"
                        + " (hw/rtc/mc146818rtc.c:913)");
            }
            if (o.isA("ICH9-LPC")) {
                // ich9_lpc_reset leaves ACPI_CNTL's SCI_IRQ_SEL at 0, which ich9_lpc_sci_irq reads as IRQ 9
                set(q, "sci_int", 9L, "ich9_lpc_sci_irq after reset (hw/isa/lpc_ich9.c:488)");
                long pmBase = q.hasProperty("pm_io_base") ? q.value("pm_io_base").map(v -> (Long) v).orElse(0L) : 0L;
                set(q, "gpe0_blk", pmBase + 0x20, "ich9_pm_get_gpe0_blk: pm_io_base + ICH9_PMIO_GPE0_STS (hw/acpi/ich9.c:353)");
            }
            if (o.isA("virtio-mmio") && q.hasProperty("ioeventfd")) {
                // without KVM there are no ioeventfds: realize clears the flag (TCG is the only accelerator here)
                q.setTyped("ioeventfd", false, new ValueOrigin.Computed(
                        "virtio_mmio_realizefn turns ioeventfd off without KVM eventfds (hw/virtio/virtio-mmio.c:736)"));
            }
            if (o.isA("x86_64-cpu") || o.isA("i386-cpu")) {
                topology(q, spec.smp());
                CpuRealize.apply(q);
            }
            defaultDeviceValues(spec, built, o, ports);
        }
    }

    /**
     * serial_isa_realizefn's and parallel_isa_realizefn's {@code static int index}: each counts the ports of
     * its type realized so far (the -serial ports first), and a port whose index is unset takes the count as its
     * index: QEMU 7.2 gives {@code -serial null -device isa-serial} index 1, port 0x2f8, IRQ 3 (the -serial ports counted
     * as VmSpec.Defaults.serialPorts says).
     */
    private static final class PortCounters {
        int serials;
        int parallels;
    }

    /** QEMU's isa_serial_io / isa_serial_irq (hw/char/serial-isa.c:48-52) and isa_parallel_io (hw/char/parallel.c:482). */
    private static final long[] SERIAL_IO = {0x3f8, 0x2f8, 0x3e8, 0x2e8};
    private static final long[] SERIAL_IRQ = {4, 3, 4, 3};
    private static final long[] PARALLEL_IO = {0x378, 0x278, 0x3bc};
    private static final long UNSET32 = 0xffffffffL;

    /**
     * The ROM a PCI device loads when its romfile is unset: its class's romfile, which pci_qdev_realize
     * copies into the property (hw/pci/pci.c:2252). Read in QEMU 7.2.0's class_init functions.
     */
    private static final java.util.Map<String, String[]> CLASS_ROMFILE = java.util.Map.of(
            "VGA", new String[] {"vgabios-stdvga.bin", "hw/display/vga-pci.c:387 vga_class_init"},
            "cirrus-vga", new String[] {"vgabios-cirrus.bin", "hw/display/cirrus_vga.c:3001 cirrus_vga_class_init"},
            "e1000", new String[] {"efi-e1000.rom", "hw/net/e1000.c:1786 e1000_class_init"},
            "e1000e", new String[] {"efi-e1000e.rom", "hw/net/e1000e.c:679 e1000e_class_init"});

    /**
     * What realize computes on the devices QEMU adds without -nodefaults (and on the same types given
     * with -device): the ports' addresses from their index, the drives' block sizes and ids, the NICs'
     * and VGA's ROM and the VGA's EDID resolution.
     */
    private static void defaultDeviceValues(VmSpec spec, List<BuiltObject> built, BuiltObject o, PortCounters ports) {
        QomObject q = o.object();
        if (o.isA("isa-serial")) {
            setIfUnset(q, "index", ports.serials, "serial_isa_realizefn: an unset index is the count of isa-serial ports"
                    + " realized before (its static index, hw/char/serial-isa.c:63-66)");
            long index = longValue(q, "index");
            if (index >= 0 && index < SERIAL_IO.length) {
                ports.serials++;
                setIfUnset(q, "iobase", SERIAL_IO[(int) index], "serial_isa_realizefn: isa_serial_io[index] (hw/char/serial-isa.c:71)");
                setIfUnset(q, "irq", SERIAL_IRQ[(int) index], "serial_isa_realizefn: isa_serial_irq[index] (hw/char/serial-isa.c:74)");
            }
        }
        if (o.isA("isa-parallel")) {
            setIfUnset(q, "index", ports.parallels, "parallel_isa_realizefn: an unset index is the count of isa-parallel ports"
                    + " realized before (its static index, hw/char/parallel.c:540-543)");
            long index = longValue(q, "index");
            if (index >= 0 && index < PARALLEL_IO.length) {
                ports.parallels++;
                setIfUnset(q, "iobase", PARALLEL_IO[(int) index], "parallel_isa_realizefn: isa_parallel_io[index] (hw/char/parallel.c:551)");
            }
        }
        if (o.isA("floppy") || o.isA("ide-device")) {
            // blkconf_blocksizes: an empty drive has no block sizes to probe, so both are BDRV_SECTOR_SIZE
            for (String p : new String[] {"logical_block_size", "physical_block_size"}) {
                if (q.hasProperty(p) && Long.valueOf(0L).equals(q.value(p).orElse(null))) {
                    set(q, p, 512, "blkconf_blocksizes: BDRV_SECTOR_SIZE without a medium (hw/block/block.c:98-105)");
                }
            }
        }
        if (o.isA("floppy") && "auto".equals(q.value("drive-type").orElse(null))) {
            // pick_drive_type: no medium to take the geometry from, so the controller's fallback
            Object fallback = o.bus().flatMap(b -> b.object().parent()).flatMap(fdc -> fdc.value("fallback")).orElse(null);
            if (fallback instanceof String f && !f.equals("auto")) {
                q.setTyped("drive-type", f, new ValueOrigin.Computed(
                        "pick_drive_type: the controller's fallback without a medium (hw/block/fdc.c:383)"));
            }
        }
        if (o.isA("ide-device")) {
            setIfUnset(q, "discard_granularity", 512, "ide_dev_initfn: discard_granularity -1 becomes 512 (hw/ide/qdev.c:184)");
            if (q.hasProperty("ver") && q.value("ver").isEmpty()) {
                String hw = spec.machine().option(dev.machina.machine.MachineOption.HW_VERSION) != null
                        && spec.machine().option(dev.machina.machine.MachineOption.HW_VERSION).value() instanceof String v ? v : "2.5+";
                q.setTyped("ver", hw, new ValueOrigin.Computed("ide_init_drive: qemu_hw_version(), the machine type's hw-version"
                        + " or QEMU_HW_VERSION \"2.5+\" (hw/ide/core.c:2616, include/qemu/hw-version.h:18)"));
            }
            int serial = driveSerial(built, o);
            if (serial > 0 && q.hasProperty("serial") && q.value("serial").isEmpty()) {
                q.setTyped("serial", String.format("QM%05d", serial), new ValueOrigin.Computed(
                        "ide_init_drive: \"QM%05d\" of the drive's place among every IDE unit created (ide_init1 counts them from 1,"
                                + " two per bus; hw/ide/core.c:2594, 2631)"));
            }
        }
        for (var e : CLASS_ROMFILE.entrySet()) {
            if (q.typeName().equals(e.getKey()) && q.hasProperty("romfile") && q.value("romfile").isEmpty()) {
                q.setTyped("romfile", e.getValue()[0], new ValueOrigin.Computed("pci_qdev_realize: the class's romfile ("
                        + e.getValue()[1] + "; hw/pci/pci.c:2252)"));
            }
        }
        if (o.isA("VGA") && Boolean.TRUE.equals(q.value("edid").orElse(null))) {
            if (Long.valueOf(0L).equals(q.value("xres").orElse(null))) {
                set(q, "xres", 1280, "qemu_edid_generate: a preferred width of 0 becomes 1280 (hw/display/edid-generate.c:403)");
            }
            if (Long.valueOf(0L).equals(q.value("yres").orElse(null))) {
                set(q, "yres", 800, "qemu_edid_generate: a preferred height of 0 becomes 800 (hw/display/edid-generate.c:406)");
            }
        }
    }

    /** ide_init1's drive_serial of an IDE device: two units per IDE bus, counted from 1 in creation order; 0 if not on one. */
    private static int driveSerial(List<BuiltObject> built, BuiltObject dev) {
        BuiltObject bus = dev.bus().orElse(null);
        if (bus == null || !bus.isA("IDE")) {
            return 0;
        }
        int index = 0;
        for (BuiltObject b : built) {
            if (b == bus) {
                long unit = longValue(dev.object(), "unit");
                return unit < 0 || unit > 1 ? 0 : index * 2 + (int) unit + 1;
            }
            if (b.isA("IDE")) {
                index++;
            }
        }
        return 0;
    }

    private static long longValue(QomObject q, String property) {
        Object v = q.hasProperty(property) ? q.value(property).orElse(null) : null;
        return v instanceof Long l && l != UNSET32 ? l : -1;
    }

    private static void setIfUnset(QomObject q, String property, long value, String how) {
        if (q.hasProperty(property) && q.value(property).map(v -> v.equals(UNSET32) || v.equals(-1L)).orElse(false)) {
            set(q, property, value, how);
        }
    }

    /** The RAM split of the PC boards (pc_init1 hw/i386/pc_piix.c:133-157, pc_q35_init hw/i386/pc_q35.c:148-180). */
    static MemoryLayout layout(VmSpec spec, BuiltObject machine) {
        long ram = spec.memory().bytes();
        String family = spec.machine().family();
        long maxBelow = machine.value("max-ram-below-4g").map(v -> (Long) v.value()).orElse(0L);
        long lowmem;
        switch (family) {
            case "pc-i440fx", "isapc" -> {
                lowmem = maxBelow != 0 ? maxBelow : 0xe0000000L;
                boolean gigabyteAlign = Boolean.TRUE.equals(spec.machine().option(MachineOption.GIGABYTE_ALIGN) == null ? null
                        : spec.machine().option(MachineOption.GIGABYTE_ALIGN).value());
                if (Long.compareUnsigned(ram, lowmem) >= 0 && gigabyteAlign && Long.compareUnsigned(lowmem, 0xc0000000L) > 0) {
                    lowmem = 0xc0000000L;
                }
            }
            case "pc-q35" -> {
                lowmem = Long.compareUnsigned(ram, 0xb0000000L) >= 0 ? 0x80000000L : 0xb0000000L;
                long limit = maxBelow != 0 ? maxBelow : 4 * GIB;
                if (Long.compareUnsigned(lowmem, limit) > 0) {
                    lowmem = limit;
                }
            }
            default -> {
                return MemoryLayout.UNKNOWN; // xenfv: xen_hvm_init_pc splits RAM as Xen says
            }
        }
        return Long.compareUnsigned(ram, lowmem) >= 0 ? new MemoryLayout(lowmem, ram - lowmem) : new MemoryLayout(ram, 0);
    }

    private static void holes(QomObject host, MemoryLayout layout, BuiltObject machine, String file) {
        set(host, "pci-hole-start", layout.below4g(), "the 32-bit PCI hole starts where low RAM ends (" + file + " pci_hole)");
        set(host, "pci-hole-end", IO_APIC_DEFAULT_ADDRESS, "the 32-bit PCI hole ends at the IOAPIC (" + file + ")");
        boolean fix = host.hasProperty("x-pci-hole64-fix") && host.value("x-pci-hole64-fix").map(Boolean.TRUE::equals).orElse(false);
        long start = 0;
        long end = 0;
        if (fix) {
            // pc_pci_hole64_start (hw/i386/pc.c:1141): after high RAM (no CXL, no device memory), rounded up to 1 GiB
            start = roundUp(4 * GIB + layout.above4g(), GIB);
            long size = host.hasProperty("pci-hole64-size") ? host.value("pci-hole64-size").map(v -> (Long) v).orElse(0L) : 0L;
            end = roundUp(start + size, GIB);
        }
        String why = fix ? "no 64-bit BAR yet: pc_pci_hole64_start after high RAM, then pci-hole64-size (" + file + ")"
                : "x-pci-hole64-fix is off: no 64-bit hole until the firmware maps a 64-bit BAR (" + file + ")";
        set(host, "pci-hole64-start", start, why);
        set(host, "pci-hole64-end", end, why);
    }

    private static long roundUp(long v, long to) {
        return (v + to - 1) / to * to;
    }

    /**
     * x86_cpu_pre_plug (hw/i386/x86.c:397-414): the ids from the APIC id, whose fields are as wide as
     * the counts need (include/hw/i386/topology.h apicid_bitwidth_for_count).
     */
    private static void topology(QomObject cpu, VmSpec.Smp smp) {
        Optional<Object> apic = cpu.hasProperty("apic-id") ? cpu.value("apic-id") : Optional.empty();
        if (apic.isEmpty()) {
            return;
        }
        long id = (Long) apic.get();
        int smtWidth = width(smp.threads());
        int coreWidth = width(smp.cores());
        int dieWidth = width(smp.dies());
        String how = "x86_cpu_pre_plug derives it from apic-id " + id + " (hw/i386/x86.c:397)";
        set(cpu, "thread-id", id & ((1L << smtWidth) - 1), how);
        set(cpu, "core-id", (id >> smtWidth) & ((1L << coreWidth) - 1), how);
        set(cpu, "die-id", (id >> (smtWidth + coreWidth)) & ((1L << dieWidth) - 1), how);
        set(cpu, "socket-id", id >> (smtWidth + coreWidth + dieWidth), how);
    }

    private static int width(int count) {
        return count <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(count - 1);
    }

    private static void set(QomObject o, String property, long value, String how) {
        if (o.hasProperty(property)) {
            o.setTyped(property, value, new ValueOrigin.Computed(how));
        }
    }
}
