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
