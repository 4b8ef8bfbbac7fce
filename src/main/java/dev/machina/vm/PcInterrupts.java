package dev.machina.vm;

import dev.machina.cpu.x86.ApicBaseMsr;
import dev.machina.cpu.x86.Cpu;
import dev.machina.hw.core.IrqLine;
import dev.machina.hw.intc.IoApic;
import dev.machina.hw.intc.LocalApic;
import dev.machina.hw.timer.Hpet;
import dev.machina.memory.AccessRule;
import dev.machina.memory.MemoryRegion;
import dev.machina.memory.RegionOps;

/**
 * The PC's interrupt controllers and timers beside the 8259 pair, wired as QEMU 7.2's pc and q35
 * boards wire them (hw/i386/pc.c pc_basic_device_init, pc_hpet_create; hw/i386/x86.c gsi_handler,
 * x86_cpu_apic_realize):
 * <ul>
 *   <li>{@code apic}: the CPU's local APIC, its page {@code apic-msi} at 0xFEE00000 (1 MiB, priority
 *       4096 over everything else), the APIC base MSR, the CPU's INTR and the interrupt-acknowledge
 *       cycle; the 8259's INT reaches the CPU through its LINT0 (QEMU's pic_irq_request).</li>
 *   <li>{@code ioapic}: at 0xFEC00000 (4 KiB); every GSI below 16 goes to its 8259 pin and to the
 *       I/O APIC input of the same number (ISA IRQ 0 arrives at pin 2, the MADT's interrupt source
 *       override); its messages go to the local APIC; the local APIC's EOI of a level-triggered
 *       vector comes back to it.</li>
 *   <li>{@code hpet}: at 0xFED00000 (1 KiB); the 8254's IRQ 0 and the RTC's IRQ 8 pass through
 *       it (its legacy inputs), its outputs are GSI n for route n, and in legacy replacement mode
 *       timer 0 drives GSI 0 and timer 1 GSI 8 while the 8254's interrupt is cut off.</li>
 * </ul>
 * Each is made when the machine's graph has its object; without them (isapc) the 8259 drives the
 * CPU's INTR directly, as before.
 */
final class PcInterrupts {
    static final long LAPIC_BASE = 0xFEE00000L, LAPIC_WINDOW = 0x100000L, IOAPIC_BASE = 0xFEC00000L, HPET_BASE = 0xFED00000L;
    /** The priority of QEMU's apic-msi region in system memory (x86_cpu_apic_realize). */
    static final int LAPIC_PRIORITY = 0x1000;

    private final PcMachine pc;
    private LocalApic lapic;
    private IoApic ioapic;
    private Hpet hpet;
    private final boolean[] hpetLevel = new boolean[Hpet.ROUTES];
    /** Levels of GSI 16..23 driven by the chipset (q35's PIRQE-H), or-ed with the HPET's. */
    private final boolean[] chipsetGsi = new boolean[IoApic.PINS];

    PcInterrupts(PcMachine pc) {
        this.pc = pc;
    }

    boolean hasApic() {
        return lapic != null;
    }

    LocalApic lapic() {
        return lapic;
    }

    IoApic ioapic() {
        return ioapic;
    }

    Hpet hpet() {
        return hpet;
    }

    // ----------------------------------------------------------------------------- assemblers

    static void apic(BuiltObject o, PcMachine pc) {
        PcInterrupts in = pc.interrupts();
        if (in.lapic != null) {
            throw new VmException(new VmError.BadGraph(o.where(), "Machina models one CPU: a second local APIC is not supported"));
        }
        int version = (int) (o.value("version").isPresent() ? PcMachine.num(o, "version") : 0x14);
        int id = (int) PcMachine.num(o, "id");
        in.lapic = new LocalApic(level -> {
            Cpu c = pc.cpu();
            if (c != null) {
                c.setIntr(level);
            }
        }, level -> {
            Cpu c = pc.cpu();
            if (level && c != null) {
                c.raiseNmi();
            }
        }, pc.board().timers(), in::picAcknowledge, in::eoiBroadcast, id, version, true, new LocalApic.Events() {
            @Override
            public void initReceived() {
                // taken between blocks (QEMU's CPU_INTERRUPT_INIT): the CPU stops, the board runs initCpu
                in.pendingInit = true;
                if (pc.cpu() != null) {
                    pc.cpu().requestStop();
                }
            }
        });
        MemoryRegion r = pc.memory().io(o.path(), "apic-msi", LAPIC_WINDOW, RegionOps.of32(in.lapic::read, in.lapic::write), AccessRule.sizes(1, 4));
        pc.memory().systemRoot().addSubregionOverlap(LAPIC_BASE, r, LAPIC_PRIORITY);
        pc.onReset(in.lapic::reset);
    }

    static void ioapic(BuiltObject o, PcMachine pc) {
        PcInterrupts in = pc.interrupts();
        int version = (int) (o.value("version").isPresent() ? PcMachine.num(o, "version") : 0x20);
        in.ioapic = new IoApic((address, data) -> {
            if (in.lapic != null) {
                in.lapic.msi(address, data);
            }
        }, pc.board().timers(), in::picAcknowledge, version);
        MemoryRegion r = pc.memory().io(o.path(), "ioapic", 0x1000, RegionOps.of32(in.ioapic::read, in.ioapic::write), AccessRule.sizes(1, 4));
        pc.board().sysBusSlot(o.path()).initMmio(r); // sysbus_init_mmio: what info qtree lists as its mmio 0
        pc.memory().systemRoot().addSubregion(IOAPIC_BASE, r);
        pc.onReset(in.ioapic::reset);
    }

    static void hpet(BuiltObject o, PcMachine pc) {
        PcInterrupts in = pc.interrupts();
        IrqLine[] routes = new IrqLine[Hpet.ROUTES];
        for (int i = 0; i < routes.length; i++) {
            int n = i;
            routes[i] = level -> in.hpetOutput(n, level);
        }
        int timers = o.value("timers").isPresent() ? (int) PcMachine.num(o, "timers") : 3;
        int intcap = (int) PcMachine.num(o, "hpet-intcap");
        in.hpet = new Hpet(routes, level -> {
            if (pc.pit() != null) {
                pc.pit().irqEnable().set(level);
            }
        }, (address, data) -> {
            // FSB delivery is a 32-bit memory write; the only target a PC has for it is the APIC window
            if (in.lapic != null && (address & ~(LAPIC_WINDOW - 1)) == LAPIC_BASE) {
                in.lapic.msi(address, data);
            }
        }, pc.board().timers(), timers, intcap == 0 ? 0x4 : intcap, PcMachine.flag(o, "msi", false));
        MemoryRegion r = pc.memory().io(o.path(), "hpet", 0x400, RegionOps.of32(in.hpet::read, in.hpet::write), AccessRule.sizes(4, 8, 4, 4));
        pc.board().sysBusSlot(o.path()).initMmio(r);
        pc.memory().systemRoot().addSubregion(HPET_BASE, r);
        pc.onReset(in.hpet::reset);
    }

    /** Where Debian's qemu-system-data package keeps QEMU's option ROMs. */
    static final java.nio.file.Path QEMU_DATA = java.nio.file.Path.of("/usr/share/qemu");
    /** QEMU's VAPIC option ROM, offered to the firmware as genroms/kvmvapic.bin; null when not found. */
    private byte[] vapicRom;

    /**
     * {@code kvmvapic} (hw/i386/kvmvapic.c): QEMU's TPR-access patching for Windows XP guests. Its
     * option ROM ({@code kvmvapic.bin}, QEMU's own, from Debian's qemu-system-data) is offered to the
     * firmware as {@code genroms/kvmvapic.bin}, which SeaBIOS runs ("Running option rom at
     * c000:0003"); the ROM reports itself with a 16-bit write to port 0x7E. Machina does not patch
     * guest code: the port takes the write and nothing else happens, which is what QEMU 7.2's TCG
     * ends with for a guest that is not Windows XP (it finds no KPCR and patches nothing).
     */
    static void kvmvapic(BuiltObject o, PcMachine pc) {
        java.nio.file.Path rom = QEMU_DATA.resolve("kvmvapic.bin");
        if (!java.nio.file.Files.isRegularFile(rom)) {
            pc.warn("kvmvapic (" + o.path() + "): " + rom + " not found, so its option ROM is not offered (install Debian's "
                    + "qemu-system-data); SeaBIOS's log then differs from QEMU's");
            return;
        }
        try {
            pc.interrupts().vapicRom = java.nio.file.Files.readAllBytes(rom);
        } catch (java.io.IOException e) {
            throw new VmException(new VmError.CannotStart(rom.toString(), "cannot read QEMU's VAPIC option ROM: " + e.getMessage()));
        }
        pc.memory().ioRoot().addSubregion(0x7E, pc.memory().io(o.path(), "kvmvapic", 2, RegionOps.UNASSIGNED_IO,
                AccessRule.sizes(1, 4)));
    }

    /** Adds the files of these devices to fw_cfg, once it is assembled. */
    void fwCfgFiles(dev.machina.hw.nvram.FwCfg f) {
        if (vapicRom != null) {
            f.addFile("genroms/kvmvapic.bin", vapicRom);
        }
    }

    private boolean pendingInit;

    /**
     * After the CPU stopped: an INIT that reached it (QEMU's do_cpu_init for the one CPU) resets the
     * processor to the reset vector (QEMU keeps PAT; Machina's reset sets it to its default) and the
     * local APIC's registers but its ID and base; devices and memory are untouched.
     * Returns whether there was one.
     */
    boolean serviceInit() {
        if (!pendingInit) {
            return false;
        }
        pendingInit = false;
        Cpu c = pc.cpu();
        c.reset();
        lapic.initReset();
        return true;
    }

    // -------------------------------------------------------------------------------- routing

    /** The 8259 pair's INT output: to LINT0 of the local APIC, or straight to the CPU's INTR. */
    void picOutput(boolean level) {
        if (lapic != null) {
            lapic.setLint0(level);
        } else if (pc.cpu() != null) {
            pc.cpu().setIntr(level);
        }
    }

    /** The CPU's interrupt-acknowledge cycle. */
    int acknowledge() {
        return lapic != null ? lapic.acknowledge() : picAcknowledge();
    }

    private int picAcknowledge() {
        return pc.pic() != null ? pc.pic().acknowledge() : 0x07; // no 8259: the spurious IRQ 7 vector of a reset 8259
    }

    private void eoiBroadcast(int vector) {
        if (ioapic != null) {
            ioapic.eoi(vector);
        }
    }

    /**
     * An ISA device's line that the HPET takes over (QEMU: the 8254's and the RTC's IRQ go to the
     * HPET's legacy inputs when there is one). Returns whether the line went there.
     */
    boolean divertIsa(int irq, boolean level) {
        if (hpet == null || irq != 0 && irq != 8) {
            return false;
        }
        (irq == 0 ? hpet.pitInput() : hpet.rtcInput()).set(level);
        return true;
    }

    /** Whether ISA line {@code irq} goes to the HPET rather than to its GSI. */
    boolean diverted(int irq) {
        return hpet != null && (irq == 0 || irq == 8);
    }

    /** What the HPET drives on GSI {@code n} (0..23). */
    boolean hpetLevel(int n) {
        return n < hpetLevel.length && hpetLevel[n];
    }

    private void hpetOutput(int n, boolean level) {
        hpetLevel[n] = level;
        if (n < 16) {
            pc.updateIrq(n);
        } else if (n < IoApic.PINS) {
            gsiHigh(n);
        }
    }

    /** GSI {@code n} (16..23, I/O APIC only) as the chipset drives it (q35's PIRQE-H). */
    IrqLine chipsetGsi(int n) {
        return level -> {
            chipsetGsi[n] = level;
            gsiHigh(n);
        };
    }

    private void gsiHigh(int n) {
        if (ioapic != null) {
            ioapic.setIrq(n, chipsetGsi[n] || hpetLevel[n]);
        }
    }

    /** GSI {@code n} below 16 at {@code level}: its I/O APIC input (the 8259 pin is the board's). */
    void gsi(int n, boolean level) {
        if (ioapic != null) {
            ioapic.setIrq(n, level);
        }
    }

    /** Connects the CPU: INTR, the interrupt-acknowledge cycle, the APIC base MSR. */
    void connect(Cpu cpu) {
        cpu.setInterruptAcknowledge(this::acknowledge);
        if (lapic != null) {
            cpu.setApicBaseMsr(new ApicBaseMsr() {
                @Override
                public long read() {
                    return lapic.baseMsr();
                }

                @Override
                public void write(long value) {
                    lapic.writeBaseMsr(value);
                }

                @Override
                public int cr8() {
                    return lapic.cr8();
                }

                @Override
                public void writeCr8(int value) {
                    lapic.writeCr8(value);
                }
            });
        }
    }

    /** An NMI for the CPU (QMP inject-nmi, QEMU's nmi_monitor_handle): LINT1 of its local APIC, or the NMI pin. */
    void nmi() {
        if (lapic != null) {
            lapic.setLint1(true);
            lapic.setLint1(false);
        } else if (pc.cpu() != null) {
            pc.cpu().raiseNmi();
        }
    }
}
