package dev.machina.vm;

import dev.machina.cpu.x86.Cpu;
import dev.machina.cpu.x86.CpuModel;
import dev.machina.hw.core.Board;
import dev.machina.hw.core.BoardMemory;
import dev.machina.hw.core.CharFrontend;
import dev.machina.hw.core.IrqLine;
import dev.machina.hw.core.IsaSlot;
import dev.machina.hw.core.MachineControl;
import dev.machina.hw.core.Pin;
import dev.machina.hw.core.ShutdownCause;
import dev.machina.hw.core.TimerQueue;
import dev.machina.hw.acpi.AcpiTables;
import dev.machina.hw.dma.I8237;
import dev.machina.hw.input.I8042;
import dev.machina.hw.intc.I8259Pair;
import dev.machina.hw.misc.IsaDebugExit;
import dev.machina.hw.misc.IsaDebugcon;
import dev.machina.hw.misc.IsaPort92;
import dev.machina.hw.nvram.FwCfg;
import dev.machina.hw.nvram.FwCfgIo;
import dev.machina.hw.nvram.PcFwCfg;
import dev.machina.hw.rtc.Mc146818;
import dev.machina.hw.rtc.PcCmos;
import dev.machina.hw.serial.Uart16550;
import dev.machina.hw.timer.I8254;
import dev.machina.hw.timer.PcSpeaker;
import dev.machina.machine.MachineOption;
import dev.machina.machine.ResolvedMachine;
import dev.machina.memory.AccessRule;
import dev.machina.memory.MemoryException;
import dev.machina.memory.MemoryRegion;
import dev.machina.memory.MemorySystem;
import dev.machina.memory.RegionOps;
import dev.machina.qom.QomObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Board assembly of the PC machine types: QEMU 7.2's {@code pc_init1} (isapc, pc-i440fx) and
 * {@code pc_q35_init} made from the built object graph: RAM and firmware ({@code pc_memory_init},
 * {@code x86_bios_rom_init}), the device models of the graph's objects, the ISA IRQ routing, the
 * CMOS and fw_cfg contents, and the CPU.
 *
 * <h2>Where chipset models plug in</h2>
 * A device type is made by the {@link Assembler} registered for it in {@link #ASSEMBLERS}; a type
 * of the graph with none is refused at start-up ({@link VmError.NoModel}), naming the option that
 * removes it. The PCI chipset (host bridge, PIIX/ICH9 functions) registers its types there and gets
 * what it needs from this board: {@link #board()} (slots, wiring), {@link #boardMemory()} (system,
 * I/O, RAM, the PCI window for PAM and BARs), {@link #isaIrq(int)} (the ISA lines a PIRQ router
 * drives), {@link #fwCfg()} (to add the ACPI files: {@code etc/table-loader}, {@code etc/acpi/*}),
 * {@link #setIsaBus} (a PCI-to-ISA bridge whose bus the ISA devices sit on).
 */
public final class PcMachine {
    /** Makes the model of one object of the graph and realizes it on the board. */
    @FunctionalInterface
    public interface Assembler {
        void assemble(BuiltObject object, PcMachine pc);
    }

    /** Types that are structure only: buses, containers, the machine itself. */
    static final List<String> STRUCTURAL = List.of("<machine>", "System", "ISA", "IDE", "floppy-bus", "isabus-bridge",
            "ps2-kbd", "ps2-mouse", "PCI", "PCIE", "i2c-bus", "memory-backend-ram", "container");

    /** Types whose ports a guest sees as unassigned until they have a model, with what that costs. */
    static final Map<String, String> STAND_INS = Map.of(
            "isa-fdc", "floppy controller without drives: its ports 0x3f0-0x3f7 read as unassigned",
            "smbus-eeprom", "the SPD EEPROM on the SMBus does not answer",
            "vmport", "VMware backdoor port 0x5658 reads as unassigned (remove it with -machine vmport=off)",
            "vmmouse", "VMware mouse (on vmport) absent (remove it with -machine vmport=off)");

    static final Map<String, Assembler> ASSEMBLERS = new LinkedHashMap<>();

    static {
        ASSEMBLERS.put("fw_cfg_io", PcMachine::fwCfgIo);
        ASSEMBLERS.put("i8257", PcMachine::dma);
        ASSEMBLERS.put("isa-i8259", PcMachine::pic);
        ASSEMBLERS.put("mc146818rtc", PcMachine::rtc);
        ASSEMBLERS.put("isa-pit", PcMachine::pit);
        ASSEMBLERS.put("isa-pcspk", PcMachine::pcspk);
        ASSEMBLERS.put("i8042", PcMachine::i8042);
        ASSEMBLERS.put("port92", (o, pc) -> pc.realizeIsa(o, new IsaPort92()));
        ASSEMBLERS.put("isa-ide", PcMachine::ide);
        ASSEMBLERS.put("isa-debugcon", PcMachine::debugcon);
        ASSEMBLERS.put("isa-debug-exit", (o, pc) -> pc.realizeIsa(o, new IsaDebugExit((int) num(o, "iobase"), (int) num(o, "iosize"))));
        ASSEMBLERS.put("isa-serial", PcMachine::serial);
        ASSEMBLERS.put("i440FX-pcihost", PcMachine::i440fxHost);
        ASSEMBLERS.put("i440FX", (o, pc) -> pc.pciFunction(o, new dev.machina.hw.pci.I440fx()));
        ASSEMBLERS.put("PIIX3", PcMachine::piix3);
        ASSEMBLERS.put("piix3-ide", (o, pc) -> pc.pciFunction(o, new dev.machina.hw.pci.PiixIde()));
        ASSEMBLERS.put("PIIX4_PM", PcMachine::piix4Pm);
        // the APICs and the HPET (intc): PcInterrupts
        ASSEMBLERS.put("apic", PcInterrupts::apic);
        ASSEMBLERS.put("ioapic", PcInterrupts::ioapic);
        ASSEMBLERS.put("hpet", PcInterrupts::hpet);
        ASSEMBLERS.put("kvmvapic", PcInterrupts::kvmvapic);
        ASSEMBLERS.put("q35-pcihost", PcMachine::q35Host);
        ASSEMBLERS.put("mch", (o, pc) -> pc.pciFunction(o, new dev.machina.hw.pci.Mch((int) num(o, "extended-tseg-mbytes"),
                flag(o, "smbase-smram", true))));
        ASSEMBLERS.put("ICH9-LPC", PcMachine::ich9Lpc);
        ASSEMBLERS.put("ich9-ahci", (o, pc) -> pc.pciFunction(o, new dev.machina.hw.pci.Ich9Ahci()));
        ASSEMBLERS.put("ICH9-SMB", (o, pc) -> pc.pciFunction(o, new dev.machina.hw.pci.Ich9Smbus()));
    }

    /**
     * The device types {@code machina run} builds a model for (its assemblers) and the structure-only
     * types (buses, containers): what {@code machine graph} and {@code docs} draw solid, every other
     * device dashed as "no model yet".
     */
    public static java.util.Set<String> modelledTypes() {
        java.util.Set<String> out = new java.util.TreeSet<>(ASSEMBLERS.keySet());
        out.addAll(STRUCTURAL);
        return out;
    }

    /** Registers the assembler of a device type (the PCI chipset's, the ACPI devices'). */
    public static void register(String type, Assembler a) {
        ASSEMBLERS.put(type, a);
    }

    private final BuiltMachine built;
    private final RunSettings settings;
    private final Chardevs chardevs;
    private final MemorySystem ms = new MemorySystem();
    private final TimerQueue timers;
    private final Board board;
    private final List<Runnable> resets = new ArrayList<>();
    /**
     * ISA devices whose interrupt output has an enable gate that lets go of the line (tri-states it)
     * while disabled, so that several may share one ISA IRQ as PC software expects (COM1 and COM3 on
     * IRQ 4): the 16550's OUT2 (MCR bit 3), the parallel port's IRQ enable (control bit 4), the floppy
     * controller's DMA/IRQ enable (DOR bit 3), an IDE channel's nIEN (device control bit 1). Any other
     * ISA device drives its line all the time (the 8254's OUT0, the RTC's IRQ, the 8042's), and two of
     * those, or one of them and a gated one, on one line fight without an or-gate: Machina refuses that
     * configuration, where QEMU 7.2 lets the last level set win.
     */
    static final java.util.Set<String> GATED_ISA_IRQ = java.util.Set.of("isa-serial", "isa-parallel", "isa-fdc", "isa-ide");

    /** The devices on each ISA IRQ line so far, by line. */
    private final Map<Integer, List<String>> isaIrqUsers = new java.util.HashMap<>();

    private void claimIsaIrq(String path, int irq) {
        List<String> users = isaIrqUsers.computeIfAbsent(irq, k -> new ArrayList<>());
        if (users.contains(path)) {
            return;
        }
        for (String other : users) {
            String mine = isaTypeAt(path);
            String theirs = isaTypeAt(other);
            if (!GATED_ISA_IRQ.contains(mine) || !GATED_ISA_IRQ.contains(theirs)) {
                String ungated = !GATED_ISA_IRQ.contains(theirs) ? theirs : mine;
                String where = built.at(path).map(BuiltObject::where).orElse(path.contains("/serial[") ? "-serial" : path);
                throw new VmException(new VmError.CannotStart(where, "ISA IRQ " + irq + " is driven by " + theirs + " (" + other
                        + ") and would also be by " + mine + " (" + path + "); " + ungated + " drives its line all the time, and two "
                        + "drivers on one ISA line need an or-gate the bus does not have: give it another IRQ (irq=N)"));
            }
        }
        users.add(path);
    }

    private String isaTypeAt(String path) {
        return built.at(path).map(BuiltObject::typeName).orElse(path.contains("/serial[") ? "isa-serial" : "isa-device");
    }

    /** What the board does once its basic devices (and serial ports) exist, before the user's -devices: pc_q35_init's ich9_lpc_pm_init. */
    private final List<Runnable> afterBasicDevices = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final MachineControl control;
    private final PcInterrupts interrupts = new PcInterrupts(this);
    private Board.IsaBus isaBus;
    private BoardMemory boardMemory;
    private I8259Pair pic;
    private I8254 pitModel;
    private Mc146818 rtcModel;
    private FwCfgIo fwCfgIo;
    private Cpu cpu;
    private long below4g;
    private long above4g;
    private int serialIndex;
    private dev.machina.hw.pci.PciBus pciBus;
    private dev.machina.hw.pci.Q35Host q35Host;
    private final boolean[] isaLevel = new boolean[16];
    private final boolean[] pirqLevel = new boolean[16];
    private boolean sciLevel;
    /** The chipset's ACPI facts now (PIIX4 PM, ICH9 LPC), for the tables the firmware loads. */
    java.util.function.Supplier<AcpiTables.Config> acpiConfig;
    private String sciPath;
    /** The chipset's ACPI power button (PIIX4 PM, ICH9 LPC); none on isapc. */
    private Runnable powerButton;

    PcMachine(BuiltMachine built, RunSettings settings, Chardevs chardevs, MachineControl control, VirtualClock[] clockRef) {
        this.built = built;
        this.settings = settings;
        this.chardevs = chardevs;
        this.control = control;
        this.timers = new TimerQueue(() -> clockRef[0].nanos());
        this.board = new Board(ms, timers, control, chardevs::find);
        board.onIsaIrq(this::claimIsaIrq);
    }

    // -- what chipset models get -------------------------------------------------------------------

    /** The PCI bus of the host bridge, once realized. */
    Optional<dev.machina.hw.pci.PciBus> pciBus() {
        return Optional.ofNullable(pciBus);
    }

    /** The configuration space of a realized PCI function of the graph, if it has a model. */
    public Optional<dev.machina.hw.pci.PciConfigSpace> pciConfig(BuiltObject o) {
        if (pciBus == null || o.pciAddress().isEmpty()) {
            return Optional.empty();
        }
        return pciBus.function(o.pciAddress().get().devfn());
    }

    public Board board() {
        return board;
    }

    public BoardMemory boardMemory() {
        return boardMemory;
    }

    public MemorySystem memory() {
        return ms;
    }

    /** ISA IRQ line {@code n} as a device on the ISA bus drives it (0..15). */
    public IrqLine isaIrq(int n) {
        return isaBus().irqs()[n];
    }

    /** The ISA bus devices are realized on (QEMU's isabus-bridge, or the PIIX3/ICH9 LPC's). */
    public Board.IsaBus isaBus() {
        if (isaBus == null) {
            String path = built.objects().stream().filter(o -> o.typeName().equals("ISA")).map(BuiltObject::path).findFirst()
                    .orElse("/machine/unattached/device[1]/isa.0");
            isaBus = board.isaBus(path);
        }
        return isaBus;
    }

    /** A PCI-to-ISA bridge's bus, made before the first ISA device is assembled. */
    public void setIsaBus(Board.IsaBus bus) {
        this.isaBus = bus;
    }

    /** fw_cfg, once the graph's {@code fw_cfg_io} is assembled: add files here (ACPI, SMBIOS). */
    public FwCfg fwCfg() {
        if (fwCfgIo == null) {
            throw new IllegalStateException("fw_cfg is not assembled yet");
        }
        return fwCfgIo.fwCfg();
    }

    /** Runs {@code r} at every machine reset, in registration order (after the CPU). */
    public void onReset(Runnable r) {
        resets.add(r);
    }

    public void warn(String w) {
        warnings.add(w);
    }

    List<String> warnings() {
        return warnings;
    }

    TimerQueue timers() {
        return timers;
    }

    BuiltMachine built() {
        return built;
    }

    Cpu cpu() {
        return cpu;
    }

    I8259Pair pic() {
        return pic;
    }

    I8254 pit() {
        return pitModel;
    }

    /** The local APIC, I/O APIC and HPET, and how the GSIs reach them. */
    PcInterrupts interrupts() {
        return interrupts;
    }

    // -- assembly ---------------------------------------------------------------------------------

    /** Checks that every object of the graph has a model (or a stated stand-in) before anything is made. */
    static List<String> check(BuiltMachine built) {
        List<String> standIns = new ArrayList<>();
        for (BuiltObject o : built.objects()) {
            String t = o.typeName();
            if (o.kind() == BuiltObject.Kind.MACHINE || o.kind() == BuiltObject.Kind.MEMORY_BACKEND || STRUCTURAL.contains(t)
                    || ASSEMBLERS.containsKey(t) || isCpu(o)) {
                continue;
            }
            if (STAND_INS.containsKey(t) && o.kind() == BuiltObject.Kind.BOARD) {
                standIns.add(t + " (" + o.path() + "): no model yet; " + STAND_INS.get(t));
                continue;
            }
            String remedy = o.kind() == BuiltObject.Kind.USER_DEVICE ? "remove it (" + o.where() + ")"
                    : removal(t).orElse("no option of QEMU 7.2 removes it from this machine type; use another machine type "
                            + "(-M isapc) until it has a model");
            throw new VmException(new VmError.NoModel(t, o.path(), remedy));
        }
        return standIns;
    }

    private static Optional<String> removal(String type) {
        return Optional.ofNullable(switch (type) {
            case "hpet" -> "remove it with -machine hpet=off";
            case "vmport", "vmmouse" -> "remove it with -machine vmport=off";
            case "isa-parallel", "VGA", "isa-vga", "e1000", "ne2k_isa", "ide-cd", "floppy" -> "remove it with -nodefaults";
            default -> null;
        });
    }

    static boolean isCpu(BuiltObject o) {
        return o.typeName().endsWith("-x86_64-cpu") || o.typeName().endsWith("-i386-cpu");
    }

    void assemble(byte[] firmware, String firmwareName) {
        memoryMap(firmware, firmwareName);
        BuiltObject cpuObject = null;
        try {
            for (BuiltObject o : built.objects()) {
                if (isCpu(o)) {
                    if (cpuObject == null) {
                        cpuObject = o;
                    }
                    continue;
                }
                if (!serialsMade && o.kind() == BuiltObject.Kind.USER_DEVICE) {
                    addSerials();
                    afterBasicDevices.forEach(Runnable::run);
                }
                Assembler a = ASSEMBLERS.get(o.typeName());
                if (a != null) {
                    a.assemble(o, this);
                }
            }
            if (!serialsMade) {
                addSerials();
                afterBasicDevices.forEach(Runnable::run);
            }
            wireIsaIrqs();
            acpiTables();
            if (settings.debugcon()) {
                // vl.c debugcon_parse: -debugcon DEV is -device isa-debugcon,chardev=debugcon (port 0xe9)
                IsaDebugcon d = new IsaDebugcon(0xE9, 0xE9, "debugcon");
                d.realize(board.isaSlot("/machine/peripheral-anon/debugcon", isaBus()));
            }
            ioport80AndF0();
        } catch (MemoryException e) {
            // the option that made the device which claimed the space last, where it is the user's
            String where = "machine " + built.machineType().name();
            if (e.error() instanceof dev.machina.memory.MemoryError.Overlap ov && ov.owner() != null) {
                where = built.at(ov.owner()).filter(o -> o.kind() == BuiltObject.Kind.USER_DEVICE).map(BuiltObject::where).orElse(where);
            }
            throw new VmException(new VmError.CannotStart(where, e.getMessage()));
        }
        CpuModel model = makeCpu(cpuObject);
        cmos();
        fwCfgItems(model, cpuObject);
    }

    private void memoryMap(byte[] firmware, String firmwareName) {
        ResolvedMachine m = built.machineType();
        boolean pci = bool(m, MachineOption.PCI_ENABLED, true);
        long ram = built.spec().memory().bytes();
        long maxBelow = built.machine().value("max-ram-below-4g").map(v -> (Long) v.value()).filter(v -> v != 0).orElse(0xE0000000L);
        if (ram >= maxBelow) {
            long low = maxBelow;
            if (bool(m, MachineOption.GIGABYTE_ALIGN, false) && low > 0xC0000000L) {
                low = 0xC0000000L;
            }
            below4g = low;
            above4g = ram - low;
        } else {
            below4g = ram;
            above4g = 0;
        }
        if (ram > (1L << 31) - 4096) {
            throw new VmException(new VmError.CannotStart(built.spec().memory().where(),
                    "Machina supports at most 2047 MiB of RAM for now, not " + (ram >> 20) + " MiB"));
        }
        String owner = "/objects/pc.ram";
        MemoryRegion pcRam = ms.ram(owner, "pc.ram", ram);
        MemoryRegion system = ms.systemRoot();
        system.addSubregion(0, ms.alias(MemorySystem.MACHINE, "ram-below-4g", pcRam, 0, below4g));
        if (above4g > 0) {
            system.addSubregion(1L << 32, ms.alias(MemorySystem.MACHINE, "ram-above-4g", pcRam, below4g, above4g));
        }
        MemoryRegion romSpace = system;
        MemoryRegion pciWindow = system;
        if (pci) {
            // QEMU's pc_pci_as_mapping_init: the PCI window under system memory at priority -1
            pciWindow = ms.container64(MemorySystem.MACHINE, "pci");
            system.addSubregionOverlap(0, pciWindow, -1);
            romSpace = pciWindow;
        }
        // pc.rom: the option ROM space 0xC0000-0xDFFFF (PC_ROM_MIN_VGA .. PC_ROM_MAX), read-only with PCI
        MemoryRegion optionRom = ms.ram(MemorySystem.MACHINE, "pc.rom", 0x20000);
        if (pci) {
            optionRom.setReadonly(true);
        }
        romSpace.addSubregionOverlap(0xC0000, optionRom, 1);
        // x86_bios_rom_init: the image at the top of 4 GiB; its last 128 KiB also below 1 MiB
        if (firmware.length == 0 || firmware.length % 65536 != 0) {
            throw new VmException(new VmError.CannotStart(firmwareName, "a BIOS image must be a positive multiple of 64 KiB; this one has "
                    + firmware.length + " bytes"));
        }
        if (firmware.length > 16 << 20) {
            throw new VmException(new VmError.CannotStart(firmwareName, "a BIOS image of " + (firmware.length >> 10)
                    + " KiB is larger than the 16 MiB below 4 GiB Machina maps for it"));
        }
        boolean ramFirmware = !pci; // isapc: the BIOS is RAM (isapc_ram_fw)
        MemoryRegion bios = ramFirmware ? ms.ram(MemorySystem.MACHINE, "pc.bios", firmware.length)
                : ms.rom(MemorySystem.MACHINE, "pc.bios", firmware.length);
        bios.load(0, firmware);
        // x86_bios_rom_init maps the last 128 KiB below 1 MiB as an alias for every machine type. The
        // machine option isa-bios-alias (false up to pc-i440fx-9.0/pc-q35-9.0) is about -drive if=pflash
        // only (pc_system_flash_map: a copy instead of an alias): it must not take the BIOS away here,
        // or the CPU's first far jump (to f000:e05b) lands on nothing
        long isaSize = Math.min(firmware.length, 128 * 1024);
        MemoryRegion isaBios = ms.alias(MemorySystem.MACHINE, "isa-bios", bios, firmware.length - isaSize, isaSize);
        if (!ramFirmware) {
            isaBios.setReadonly(true);
        }
        romSpace.addSubregionOverlap(0x100000 - isaSize, isaBios, 1);
        romSpace.addSubregion((1L << 32) - firmware.length, bios);
        MemoryRegion pw = pciWindow;
        boardMemory = new BoardMemory() {
            @Override
            public MemoryRegion system() {
                return system;
            }

            @Override
            public MemoryRegion io() {
                return ms.ioRoot();
            }

            @Override
            public MemoryRegion ram() {
                return pcRam;
            }

            @Override
            public MemoryRegion pci() {
                return pw;
            }
        };
        board.setBoardMemory(boardMemory);
    }

    private static boolean bool(ResolvedMachine m, MachineOption o, boolean dflt) {
        ResolvedMachine.Option v = m.option(o);
        return v != null && v.value() instanceof Boolean b ? b : dflt;
    }

    // -- devices ----------------------------------------------------------------------------------

    static long num(BuiltObject o, String property) {
        return o.value(property).map(v -> v.value() instanceof Long l ? l : 0L).orElse(0L);
    }

    static boolean flag(BuiltObject o, String property, boolean dflt) {
        return o.value(property).map(v -> v.value() instanceof Boolean b ? b : dflt).orElse(dflt);
    }

    static Optional<String> str(BuiltObject o, String property) {
        return o.value(property).map(v -> v.value() instanceof String s ? s : null).filter(s -> !s.isEmpty());
    }

    IsaSlot isaSlot(BuiltObject o) {
        return board.isaSlot(o.path(), isaBus());
    }

    void realizeIsa(BuiltObject o, dev.machina.hw.core.DeviceModel.Isa model) {
        model.realize(isaSlot(o));
        resets.add(model::reset);
    }

    static AccessRule bytes() {
        return AccessRule.sizes(1, 4, 1, 1);
    }

    private static RegionOps ops(java.util.function.IntUnaryOperator read, java.util.function.BiConsumer<Integer, Integer> write) {
        return new RegionOps() {
            @Override
            public long read(long offset, int size) {
                return read.applyAsInt((int) offset) & 0xFF;
            }

            @Override
            public void write(long offset, int size, long value) {
                write.accept((int) offset, (int) value & 0xFF);
            }
        };
    }

    private static void fwCfgIo(BuiltObject o, PcMachine pc) {
        boolean dma = flag(o, "dma_enabled", true) && bool(pc.built.machineType(), MachineOption.FW_CFG_DMA, true);
        FwCfgIo dev = new FwCfgIo(dma, (int) num(o, "x-file-slots"), bool(pc.built.machineType(), MachineOption.LEGACY_FW_CFG_ORDER, false));
        dev.realize(pc.board.sysBusSlot(o.path()));
        pc.fwCfgIo = dev;
        pc.resets.add(dev::reset);
    }

    private static void dma(BuiltObject o, PcMachine pc) {
        int dshift = (int) num(o, "dshift");
        I8237 d = new I8237(dshift);
        IsaSlot slot = pc.isaSlot(o);
        int base = (int) num(o, "base");
        slot.registerIo(base, slot.regions().io("dma-chan", 8L << dshift, ops(off -> d.readChannel(off >> dshift),
                (off, v) -> d.writeChannel(off >> dshift, v)), bytes()));
        slot.registerIo(base + (8 << dshift), slot.regions().io("dma-cont", 8L << dshift, ops(off -> d.readControl(off >> dshift),
                (off, v) -> d.writeControl(off >> dshift, v)), bytes()));
        int page = (int) num(o, "page-base");
        // i8257_realize: page registers at page-base + 1..3 and + 7 (0x80 and 0x84-0x86 are not the DMA's)
        slot.registerIo(page + 1, slot.regions().io("dma-page", 3, ops(off -> d.readPage(off + 1), (off, v) -> d.writePage(off + 1, v)),
                bytes()));
        slot.registerIo(page + 7, slot.regions().io("dma-page", 1, ops(off -> d.readPage(7), (off, v) -> d.writePage(7, v)), bytes()));
        long high = o.value("pageh-base").map(v -> (Long) v.value()).orElse(-1L);
        if (high >= 0) {
            slot.registerIo((int) high + 1, slot.regions().io("dma-pageh", 3, ops(off -> d.readHighPage(off + 1),
                    (off, v) -> d.writeHighPage(off + 1, v)), bytes()));
            slot.registerIo((int) high + 7, slot.regions().io("dma-pageh", 1, ops(off -> d.readHighPage(7),
                    (off, v) -> d.writeHighPage(7, v)), bytes()));
        }
        pc.resets.add(d::reset);
    }

    private static void pic(BuiltObject o, PcMachine pc) {
        pc.ensurePic();
        boolean master = flag(o, "master", false);
        var chip = master ? pc.pic.master() : pc.pic.slave();
        IsaSlot slot = pc.isaSlot(o);
        slot.registerIo((int) num(o, "iobase"), slot.regions().io("pic", 2, ops(chip::read, chip::write), bytes()));
        slot.registerIo((int) num(o, "elcr_addr"), slot.regions().io("elcr", 1, ops(off -> chip.readElcr(), (off, v) -> chip.writeElcr(v)),
                bytes()));
    }

    private static void rtc(BuiltObject o, PcMachine pc) {
        IsaSlot slot = pc.isaSlot(o);
        int irq = o.value("irq").map(v -> (int) (long) (Long) v.value()).orElse(8);
        long base = pc.settings.rtcBaseEpochSeconds();
        Mc146818 rtc = new Mc146818(slot.irq(irq), slot.timers(), base, (int) num(o, "base_year"));
        pc.rtcModel = rtc;
        MemoryRegion io = slot.regions().io("rtc", 2, ops(rtc::read, rtc::write), bytes());
        // rtc_realizefn: the index port again as its own 1-byte region over the first (QEMU coalesces writes to it)
        io.addSubregion(0, slot.regions().io("rtc-index", 1, ops(rtc::read, rtc::write), bytes()));
        slot.registerIo((int) (long) o.value("iobase").map(v -> (Long) v.value()).orElse(0x70L), io);
        pc.resets.add(rtc::reset);
    }

    private static void pit(BuiltObject o, PcMachine pc) {
        IsaSlot slot = pc.isaSlot(o);
        I8254 pit = new I8254(slot.irq(0), slot.timers());
        pc.pitModel = pit;
        slot.registerIo((int) num(o, "iobase"), slot.regions().io("pit", 4, ops(pit::read, pit::write), bytes()));
        pc.resets.add(pit::reset);
    }

    private static void pcspk(BuiltObject o, PcMachine pc) {
        if (pc.pitModel == null) {
            throw new VmException(new VmError.BadGraph(o.where(), "isa-pcspk needs the isa-pit before it"));
        }
        PcSpeaker spk = new PcSpeaker(pc.pitModel);
        IsaSlot slot = pc.isaSlot(o);
        slot.registerIo((int) (long) o.value("iobase").map(v -> (Long) v.value()).orElse(0x61L),
                slot.regions().io("pcspk", 1, ops(off -> spk.read(), (off, v) -> spk.write(v)), bytes()));
        pc.resets.add(spk::reset);
    }

    private static void i8042(BuiltObject o, PcMachine pc) {
        IsaSlot slot = pc.isaSlot(o);
        IrqLine a20 = level -> {
            if (pc.cpu != null) {
                pc.cpu.setA20(level);
            }
        };
        IrqLine reset = level -> {
            if (level) {
                pc.control.requestReset(ShutdownCause.GUEST_RESET);
            }
        };
        I8042 kbc = new I8042(slot.irq(1), slot.irq(12), a20, reset);
        slot.registerIo(0x60, slot.regions().io("i8042-data", 1, ops(off -> kbc.readData(), (off, v) -> kbc.writeData(v)), bytes()));
        slot.registerIo(0x64, slot.regions().io("i8042-cmd", 1, ops(off -> kbc.readStatus(), (off, v) -> kbc.writeCommand(v)), bytes()));
        pc.resets.add(kbc::reset);
    }

    /**
     * {@code isa-ide} with no drives, as QEMU 7.2's ide_ioport_read answers for a bus without
     * block devices: the data register reads 0xff, the other registers and the alternate status 0
     * (so a BIOS probe sees no device at once), writes change nothing a guest can read back.
     */
    private static void ide(BuiltObject o, PcMachine pc) {
        IsaSlot slot = pc.isaSlot(o);
        slot.registerIo((int) num(o, "iobase"), slot.regions().io("ide", 8, ops(off -> off == 0 ? 0xFF : 0, (off, v) -> { }), bytes()));
        slot.registerIo((int) num(o, "iobase2"), slot.regions().io("ide", 1, ops(off -> 0, (off, v) -> { }), bytes()));
    }

    private static void debugcon(BuiltObject o, PcMachine pc) {
        String chr = str(o, "chardev").orElse(null);
        if (chr != null && !pc.chardevs.has(chr)) {
            throw new VmException(new VmError.CannotStart(o.where(), "Property 'isa-debugcon.chardev' can't find value '" + chr + "'"));
        }
        pc.realizeIsa(o, new IsaDebugcon((int) num(o, "iobase"), (int) num(o, "readback"), chr));
    }

    private static final int[] SERIAL_IOBASE = {0x3F8, 0x2F8, 0x3E8, 0x2E8};
    private static final int[] SERIAL_IRQ = {4, 3, 4, 3};

    private static void serial(BuiltObject o, PcMachine pc) {
        int index = o.value("index").map(v -> (int) (long) (Long) v.value()).filter(i -> i >= 0 && i < 4).orElse(pc.serialIndex);
        pc.serialIndex = Math.max(pc.serialIndex, index + 1);
        Optional<Long> iobase = o.value("iobase").map(v -> (Long) v.value()).filter(v -> v != 0xFFFFFFFFL && v >= 0);
        Optional<Long> irq = o.value("irq").map(v -> (Long) v.value()).filter(v -> v != 0xFFFFFFFFL && v >= 0);
        String chr = str(o, "chardev").orElse(null);
        if (chr != null && !pc.chardevs.has(chr)) {
            throw new VmException(new VmError.CannotStart(o.where(), "Property 'isa-serial.chardev' can't find value '" + chr + "'"));
        }
        pc.uart(o.path(), iobase.isPresent() ? iobase.get().intValue() : SERIAL_IOBASE[index], irq.isPresent() ? irq.get().intValue() : SERIAL_IRQ[index],
                chr == null ? CharFrontend.NONE : pc.chardevs.find(chr).orElseThrow());
    }

    private boolean serialsMade;

    /**
     * The -serial ports, made with the board's devices (pc_basic_device_init's serial_hds_isa_init)
     * and so before any -device: the Nth -serial is port N (COM1 0x3f8 for the first; a -serial none
     * leaves its port out), and a -device isa-serial without an index gets the one after the last, as in QEMU.
     */
    private void addSerials() {
        serialsMade = true;
        List<Optional<String>> serials = settings.serials();
        for (int index = 0; index < serials.size(); index++) {
            if (serials.get(index).isPresent()) {
                addSerial(index, serials.get(index).get());
            }
        }
    }

    /** serial_hds_isa_init: port {@code index} of serial_hds; isa-serial's own counter then follows it. */
    private void addSerial(int index, String chardevId) {
        serialIndex = index + 1;
        if (index >= 4) {
            throw new VmException(new VmError.CannotStart("-serial", "at most 4 ISA serial ports"));
        }
        uart("/machine/unattached/serial[" + index + "]", SERIAL_IOBASE[index], SERIAL_IRQ[index], chardevs.find(chardevId).orElseThrow());
    }

    private void uart(String path, int iobase, int irq, CharFrontend chr) {
        IsaSlot slot = board.isaSlot(path, isaBus());
        Uart16550 uart = new Uart16550(slot.irq(irq), chr, slot.timers(), 115200);
        chr.setReceiver(new dev.machina.hw.core.CharReceiver() {
            @Override
            public int canReceive() {
                return uart.canReceive();
            }

            @Override
            public void receive(int b) {
                uart.receive(b);
            }
        });
        slot.registerIo(iobase, slot.regions().io("serial", 8, ops(uart::read, uart::write), bytes()));
        resets.add(uart::reset);
    }

    /** The 8259 pair and its inputs, made before the first device that drives them. */
    void ensurePic() {
        if (pic != null) {
            return;
        }
        pic = new I8259Pair(interrupts::picOutput);
        resets.add(pic::reset);
        board.wiring().gpio("/machine/pic").inputs(16, (i, level) -> {
            isaLevel[i] = level;
            if (!interrupts.divertIsa(i, level)) { // the 8254's and the RTC's lines go through the HPET
                updateIrq(i);
            }
        });
        // a PCI-to-ISA bridge steers PIRQs onto the same lines, and the PM's SCI joins IRQ 9: QEMU's GSIs
        // take several drivers; here each line is the OR of the ISA bus, the chipset and the SCI
        board.wiring().gpio("/machine/pic").inputs("chipset", 16, (i, level) -> {
            pirqLevel[i] = level;
            updateIrq(i);
        });
        board.wiring().gpio("/machine/pic").inputs("sci", 1, (i, level) -> {
            sciLevel = level;
            updateIrq(9);
        });
    }

    /** GSI {@code i} (below 16): the OR of its drivers, to its 8259 pin and its I/O APIC input. */
    void updateIrq(int i) {
        boolean level = isaLevel[i] && !interrupts.diverted(i) || pirqLevel[i] || (i == 9 && sciLevel) || interrupts.hpetLevel(i);
        pic.irq(i).set(level);
        interrupts.gsi(i, level);
    }

    private static void i440fxHost(BuiltObject o, PcMachine pc) {
        dev.machina.hw.pci.I440fxHost host = new dev.machina.hw.pci.I440fxHost();
        host.realize(pc.board.sysBusSlot(o.path()));
        pc.pciBus = host.bus();
        pc.resets.add(host::reset);
    }

    void pciFunction(BuiltObject o, dev.machina.hw.core.DeviceModel.Pci model) {
        if (pciBus == null) {
            throw new VmException(new VmError.BadGraph(o.where(), o.typeName() + " comes before its PCI host bridge"));
        }
        int devfn = o.pciAddress().map(PciAddress::devfn).orElseThrow(() -> new VmException(new VmError.BadGraph(o.where(),
                o.typeName() + " has no PCI address")));
        model.realize(pciBus.slot(board.plainSlot(o.path()), devfn, 256, flag(o, "multifunction", false)));
        resets.add(model::reset);
        busMasterSpace(o, devfn);
    }

    /**
     * pci_init_bus_master / do_pci_register_device: every PCI function has an address space named after
     * its type, rooted in a "bus master container" holding a "bus master" alias of system memory that
     * decodes only while the function's Bus Master Enable (command bit 2) is set. The models' DMA goes
     * to system memory directly; this is the view QEMU's info mtree shows, kept in step with the bit.
     */
    private void busMasterSpace(BuiltObject o, int devfn) {
        MemoryRegion container = ms.container64(o.path(), "bus master container");
        MemoryRegion master = ms.alias64(o.path(), "bus master", ms.systemRoot());
        master.setEnabled(false);
        container.addSubregion(0, master);
        ms.addressSpace(o.typeName(), container);
        pciBus.function(devfn).ifPresent(c -> c.onWrite((addr, len, value) -> {
            boolean on = (c.get16(dev.machina.hw.pci.PciHeader.COMMAND) & 0x4) != 0;
            if (on != master.enabled()) {
                ms.transaction(() -> master.setEnabled(on));
            }
        }));
    }

    private static void piix3(BuiltObject o, PcMachine pc) {
        pc.ensurePic();
        pc.pciFunction(o, new dev.machina.hw.pci.Piix3());
        for (int i = 0; i < 16; i++) {
            pc.board.wiring().connect(new Pin(o.path(), Pin.name("isa-irqs", false, i)), new Pin("/machine/pic", Pin.name("chipset", true, i)));
        }
    }

    private static void piix4Pm(BuiltObject o, PcMachine pc) {
        pc.ensurePic();
        if (flag(o, "smm-enabled", false)) {
            pc.warn("PIIX4_PM (" + o.path() + "): Machina has no SMM; it behaves as with -machine smm=off");
        }
        dev.machina.hw.pci.Piix4Pm pm = new dev.machina.hw.pci.Piix4Pm((int) num(o, "smb_io_base"), false, (int) num(o, "s4_val"));
        pc.pciFunction(o, pm);
        pc.powerButton = () -> pm.acpi().powerButton();
        pc.acpiConfig = () -> AcpiTables.Config.pc(pm.pmBase());
        // pc_init1: the PM's SCI (its unnamed GPIO out 0) goes to GSI 9
        pc.board.wiring().connect(new Pin(o.path(), Pin.name(null, false, 0)), new Pin("/machine/pic", Pin.name("sci", true, 0)));
    }

    /**
     * QEMU's acpi_setup: the ACPI files of fw_cfg (etc/acpi/tables, etc/acpi/rsdp, etc/table-loader)
     * for a machine with an ACPI chipset function, unless {@code -machine acpi=off}; the tables say
     * whether the HPET is there.
     */
    private void acpiTables() {
        if (fwCfgIo != null) {
            interrupts.fwCfgFiles(fwCfgIo.fwCfg());
        }
        if (acpiConfig == null || fwCfgIo == null || !bool(built.machineType(), MachineOption.ACPI_BUILD, true)
                || built.machine().value("acpi").map(v -> "off".equals(String.valueOf(v.value())) || Boolean.FALSE.equals(v.value()))
                        .orElse(false)) {
            return;
        }
        java.util.function.Supplier<AcpiTables.Config> chipset = acpiConfig;
        boolean hpet = interrupts.hpet() != null;
        AcpiFwCfg.install(fwCfgIo.fwCfg(), () -> {
            AcpiTables.Config c = chipset.get();
            return new AcpiTables.Config(c.q35(), c.pmBase(), c.gpe0Base(), c.gpe0Length(), c.sciIrq(), hpet, c.mcfgBase(), c.mcfgSize(),
                    c.cpus(), c.ioapicAddress(), c.ioapicId());
        }, resets::add);
    }

    // -- q35 (QEMU 7.2 pc_q35_init) ------------------------------------------------------------------

    private static void q35Host(BuiltObject o, PcMachine pc) {
        // pc_q35_init sets below-4g-mem-size from the RAM split; the MCH puts TSEG at its top
        dev.machina.hw.pci.Q35Host host = new dev.machina.hw.pci.Q35Host(pc.below4g);
        host.realize(pc.board.sysBusSlot(o.path()));
        pc.pciBus = host.bus();
        pc.q35Host = host;
        pc.resets.add(host::reset);
    }

    private static void ich9Lpc(BuiltObject o, PcMachine pc) {
        pc.ensurePic();
        boolean smm = pc.built.machine().value("smm").map(v -> !"off".equals(String.valueOf(v.value()))).orElse(true);
        if (smm) {
            pc.warn("ICH9-LPC (" + o.path() + "): Machina has no SMM; it behaves as with -machine smm=off");
        }
        dev.machina.hw.pci.Ich9Lpc lpc = new dev.machina.hw.pci.Ich9Lpc(false, (int) num(o, "s4_val"), flag(o, "enable_tco", true));
        pc.pciFunction(o, lpc);
        pc.afterBasicDevices.add(lpc::attachPmIo);
        pc.powerButton = () -> lpc.acpi().powerButton();
        // pc_q35_init: the LPC's GSI outputs (PIRQ routing, the SCI) join the ISA lines at the 8259 pair;
        // GSIs 16-23 (PIRQ E-H's fixed pins, PIRQ A-D's too, an SCI moved there) are the I/O APIC's only
        for (int i = 0; i < 16; i++) {
            pc.board.wiring().connect(new Pin(o.path(), Pin.name("gsi", false, i)), new Pin("/machine/pic", Pin.name("chipset", true, i)));
        }
        pc.board.wiring().gpio("/machine/pic").inputs("gsi-high", 8, (i, level) -> pc.interrupts.chipsetGsi(16 + i).set(level));
        for (int i = 16; i < 24; i++) {
            pc.board.wiring().connect(new Pin(o.path(), Pin.name("gsi", false, i)), new Pin("/machine/pic", Pin.name("gsi-high", true, i - 16)));
        }
        // acpi-build.c acpi_get_mcfg/ich9 facts: PMBASE from the LPC, the MCFG from the MCH's PCIEXBAR, read when the firmware loads the tables
        dev.machina.hw.pci.Q35Host host = pc.q35Host;
        pc.acpiConfig = () -> {
            long base = host == null ? -1 : host.mmconfigBase();
            return AcpiTables.Config.q35(lpc.pmBase(), base < 0 ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(base),
                    base < 0 ? 0 : host.mmconfigSize());
        };
    }

    /** pc_basic_device_init: port 0x80 (I/O delay: writes ignored, reads all ones) and 0xF0 (FPU error). */
    private void ioport80AndF0() {
        MemoryRegion io = ms.ioRoot();
        io.addSubregion(0x80, ms.io(MemorySystem.MACHINE, "ioport80", 1, RegionOps.UNASSIGNED_IO, AccessRule.DEFAULT));
        io.addSubregion(0xF0, ms.io(MemorySystem.MACHINE, "ioportF0", 1, RegionOps.UNASSIGNED_IO, AccessRule.DEFAULT));
    }

    /** The ISA lines go to the 8259 pair (and, with a PCI chipset, the IOAPIC through a split). */
    private void wireIsaIrqs() {
        if (pic == null) {
            return;
        }
        for (int i = 0; i < 16; i++) {
            Pin out = new Pin(isaBus().path(), Board.IsaBus.irqPin(i));
            if (board.wiring().wiredTo(out) == null) {
                board.wiring().connect(out, new Pin("/machine/pic", dev.machina.hw.core.Pin.name(null, true, i)));
            }
        }
    }

    /** pc_cmos_init: memory sizes, CPU count, boot devices, equipment. */
    private void cmos() {
        if (rtcModel == null) {
            return;
        }
        PcCmos.setMemory(rtcModel, below4g, above4g);
        PcCmos.setCpuCount(rtcModel, built.spec().smp().cpus());
        String order = built.machine().value("boot").map(v -> v.value() instanceof Map<?, ?> mp ? (String) mp.get("order") : null)
                .orElse("cad");
        try {
            PcCmos.setBootOrder(rtcModel, order == null ? "cad" : order, true);
        } catch (IllegalArgumentException e) {
            throw new VmException(new VmError.CannotStart("-boot order=" + order, e.getMessage()));
        }
        PcCmos.setEquipment(rtcModel, PcCmos.EQUIPMENT_FPU | PcCmos.EQUIPMENT_PS2_MOUSE);
        rtcModel.setByte(0x10, 0); // no floppy drives
    }

    /** AMD's HyperTransport hole below 1 TiB, which QEMU 7.2 reports for an AMD CPU of 40+ address bits (pc.c). */
    static final long AMD_HT_START = 0xFD00000000L, AMD_HT_SIZE = 0x300000000L;

    private void fwCfgItems(CpuModel model, BuiltObject cpuObject) {
        if (fwCfgIo == null) {
            return;
        }
        List<PcFwCfg.E820> e820 = new ArrayList<>();
        e820.add(new PcFwCfg.E820(0, below4g, PcFwCfg.E820_RAM));
        if (above4g > 0) {
            e820.add(new PcFwCfg.E820(1L << 32, above4g, PcFwCfg.E820_RAM));
        }
        long physBits = cpuObject == null ? 0 : num(cpuObject, "phys-bits");
        if (bool(built.machineType(), MachineOption.ENFORCE_AMD_1TB_HOLE, false) && "AuthenticAMD".equals(model.vendor()) && physBits >= 40) {
            e820.add(new PcFwCfg.E820(AMD_HT_START, AMD_HT_SIZE, PcFwCfg.E820_RESERVED));
        }
        int cpus = built.spec().smp().cpus();
        PcFwCfg.fill(fwCfgIo.fwCfg(), new PcFwCfg.Facts(built.spec().memory().bytes(), cpus, built.spec().smp().maxCpus(),
                settings.nographic(), settings.bootMenu(), settings.rebootTimeout(), e820, null));
        PcFwCfg.machineReset(fwCfgIo.fwCfg(), new byte[0], new byte[0]);
    }

    private CpuModel makeCpu(BuiltObject cpuObject) {
        String type = cpuObject == null ? "qemu32-x86_64-cpu" : cpuObject.typeName();
        String name = type.replaceAll("-(x86_64|i386)-cpu$", "");
        CpuModel model;
        CpuModel fromType;
        if (CpuModel.catalog().containsKey(name)) {
            model = CpuModel.named(name);
        } else if (cpuObject != null && (fromType = CpuModel.ofProperties(name,
                p -> cpuObject.value(p).map(v -> v.value()).orElse(null))) != null) {
            model = fromType; // every other QEMU 7.2 model, version and alias: its identity from its type's data
        } else {
            model = CpuModel.named(CpuModel.DEFAULT);
            warn("CPU model " + name + " is not available in Machina yet; running a " + CpuModel.DEFAULT + " instead (-cpu 486 or -cpu qemu32)");
        }
        model = model.withApic(interrupts.hasApic());
        cpu = new Cpu(model, ms.memory().physical(), ms.io().ports());
        // cpu_exec_realizefn → cpu_address_space_init(cs, 0, "cpu-memory", cs->memory): the CPU's view, rooted in system memory
        ms.addressSpace("cpu-memory-0", ms.systemRoot());
        cpu.setTscClock(timers.clock()::nanos); // RDTSC reads the virtual clock (a 1 GHz TSC, as QEMU's with -icount)
        ms.memory().onRemap(cpu::flushTranslations);
        ms.onRamWritten((off, len) -> cpu.invalidateBacking(off, len));
        interrupts.connect(cpu);
        wiredA20();
        return model;
    }

    private void wiredA20() {
        if (board.wiring().hasOutput(new Pin(portPath(), "a20[0]"))) {
            board.wiring().gpio("/machine/unattached/device[0]").inputs("a20", 1, (i, level) -> cpu.setA20(level));
            board.wiring().connect(new Pin(portPath(), "a20[0]"), new Pin("/machine/unattached/device[0]", "a20[0]"));
        }
    }

    private String portPath() {
        return built.objects().stream().filter(o -> o.typeName().equals("port92")).map(BuiltObject::path).findFirst().orElse("-");
    }

    /**
     * Presses the ACPI power button (QEMU's powerdown notifier, acpi_pm1_evt_power_down): PWRBTN_STS
     * and an SCI if the guest enabled it. False when the machine has no ACPI chipset (isapc).
     */
    boolean pressPowerButton() {
        if (powerButton == null) {
            return false;
        }
        powerButton.run();
        return true;
    }

    /** A system reset: the CPU, then every device in creation order (QEMU's qemu_devices_reset). */
    void reset() {
        cpu.reset();
        for (Runnable r : resets) {
            r.run();
        }
    }
}
