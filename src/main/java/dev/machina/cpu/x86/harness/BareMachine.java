package dev.machina.cpu.x86.harness;

import dev.machina.cpu.x86.Cpu;
import dev.machina.cpu.x86.CpuModel;
import dev.machina.hw.core.Board;
import dev.machina.hw.core.CharFrontend;
import dev.machina.hw.core.CharReceiver;
import dev.machina.hw.core.MachineControl;
import dev.machina.hw.core.Pin;
import dev.machina.hw.core.ShutdownCause;
import dev.machina.hw.core.TimerQueue;
import dev.machina.hw.misc.IsaDebugExit;
import dev.machina.hw.misc.IsaDebugcon;
import dev.machina.hw.misc.IsaPort92;
import dev.machina.memory.AccessRule;
import dev.machina.memory.MemoryRegion;
import dev.machina.memory.RegionOps;
import dev.machina.memory.MemorySystem;
import dev.machina.memory.PhysicalMemory;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * RAM + ROM + debug ports around one {@link Cpu}: a tiny board built from the same device models
 * as a PC ({@code dev.machina.hw.misc}) on the same memory system.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Memory: RAM from 0 (with the VGA hole A0000-BFFFF left unassigned), the ROM image at the
 *       top of the 4 GiB space (so the reset vector FFFFFFF0 is in it), and its last 128 KiB (or all
 *       of a smaller image) aliased read-only just below 1 MiB, as QEMU's {@code isa-bios} does.</li>
 *   <li>Ports: an {@code isa-debugcon} on the console port (0x402 as QEMU's, by default, or 0xE9 as
 *       Bochs's port e9 hack) writes to the console; another on the other of the two ports drops its
 *       output, so guests written for both (like the benchmark) print once; both read back 0xE9.
 *       An {@code isa-debug-exit} at 0xF4 (4 ports) ends the run with exit status (v << 1) | 1;
 *       {@code port92} drives the A20 gate (bit 1) and resets on bit 0. Other ports read all ones.</li>
 *   <li>A triple fault or a port 92 reset resets the machine, or ends the run under
 *       {@code noReboot} (QEMU's {@code -no-reboot}). A CPU halted with nothing that could wake it
 *       ends the run.</li>
 * </ul>
 */
public final class BareMachine {
    /** QEMU's isa-bios window: the last 128 KiB of the BIOS below 1 MiB. */
    static final long BIOS_ALIAS_MAX = 128 * 1024;
    /** The largest ROM image accepted (a limit of this harness: 16 MiB below 4 GiB). */
    static final int ROM_MAX = 16 << 20;
    public static final int PORT_DEBUGCON_BOCHS = 0xE9, PORT_DEBUGCON_QEMU = 0x402;
    public static final int PORT_DEBUG_EXIT = 0xF4;
    static final int PORT_A20 = 0x92;
    /** Value a read of QEMU's isa-debugcon port returns (its "readback" property default). */
    static final int DEBUGCON_READBACK = 0xE9;

    /** How a run ended. */
    public enum End { EXIT, SHUTDOWN, HALTED, LIMIT }

    /**
     * The end of a run; {@code exitStatus} is the isa-debug-exit status for {@link End#EXIT}, else 0;
     * {@code faults} the faults delivered (exceptions whose instruction did not retire), which the
     * budget counts with the instructions retired, so that a guest whose handlers fault again and
     * again still comes to the end of it.
     */
    public record Result(End end, int exitStatus, long instructions, long faults) {
        /** What the run spent of its budget. */
        public long spent() {
            return instructions + faults;
        }
    }

    /** A debug-console byte with when it was written (for timing a guest from inside). */
    public record Mark(int value, long instructions, long nanos) {}

    static final int DEBUG_EXIT_PORTS = 4;
    /** The board's path for the CPU's pins in the wiring. */
    private static final String CPU_PATH = "/machine/unattached/device[0]";

    private final Cpu cpu;
    private final PhysicalMemory memory;
    private final OutputStream console;
    private final boolean noReboot;
    private final IsaPort92 port92 = new IsaPort92();
    private final java.util.List<Mark> marks = new java.util.ArrayList<>();
    private final java.util.List<Integer> postCodes = new java.util.ArrayList<>();
    private boolean recordMarks;
    private Integer exitStatus;
    private boolean resetRequested;
    private int resets;

    public BareMachine(CpuModel model, long ramBytes, byte[] rom, OutputStream console, boolean noReboot) {
        this(model, ramBytes, rom, console, noReboot, PORT_DEBUGCON_QEMU);
    }

    /** @param consolePort 0x402 (QEMU's isa-debugcon) or 0xE9 (Bochs's port e9 hack) */
    public BareMachine(CpuModel model, long ramBytes, byte[] rom, OutputStream console, boolean noReboot, int consolePort) {
        this(model, ramBytes, rom, console, noReboot, consolePort, -1);
    }

    /**
     * @param consolePort 0x402 (QEMU's isa-debugcon) or 0xE9 (Bochs's port e9 hack)
     * @param postPort a port whose byte writes are recorded as POST codes ({@link #postCodes()}), or -1
     */
    public BareMachine(CpuModel model, long ramBytes, byte[] rom, OutputStream console, boolean noReboot, int consolePort,
            int postPort) {
        validateRom(rom, "ROM image");
        if (consolePort != PORT_DEBUGCON_QEMU && consolePort != PORT_DEBUGCON_BOCHS) {
            throw new IllegalArgumentException("the debug console port is 0x402 or 0xE9, not 0x" + Integer.toHexString(consolePort));
        }
        if (ramBytes < 0x100000 || (ramBytes & 0xFFF) != 0 || ramBytes > 0x7000_0000L) {
            throw new BadRom("RAM size must be 1 MiB to 1.75 GiB in whole pages, not " + ramBytes);
        }
        this.console = console;
        this.noReboot = noReboot;
        MemorySystem ms = new MemorySystem();
        long top = 1L << 32;
        long alias = Math.min(rom.length, BIOS_ALIAS_MAX);
        MemoryRegion ram = ms.ram(MemorySystem.MACHINE, "ram", ramBytes);
        MemoryRegion bios = ms.rom(MemorySystem.MACHINE, "bios", rom.length);
        bios.load(0, rom);
        MemoryRegion sys = ms.systemRoot();
        sys.addSubregion(0, ms.alias(MemorySystem.MACHINE, "ram-low", ram, 0, 0xA0000));
        if (ramBytes > 0xC0000) {
            sys.addSubregion(0xC0000, ms.alias(MemorySystem.MACHINE, "ram-high", ram, 0xC0000, ramBytes - 0xC0000));
        }
        sys.addSubregionOverlap(0x100000 - alias, ms.alias(MemorySystem.MACHINE, "isa-bios", bios, rom.length - alias, alias), 1);
        sys.addSubregion(top - rom.length, bios);

        Cpu[] cpuRef = new Cpu[1];
        Board board = new Board(ms, new TimerQueue(() -> 0L), new Control(cpuRef), id -> Optional.of(id.equals("console")
                ? new ConsoleChardev() : CharFrontend.NONE));
        Board.IsaBus isa = board.isaBus("/machine/isa.0");
        new IsaDebugcon(consolePort, DEBUGCON_READBACK, "console").realize(board.isaSlot("/machine/debugcon", isa));
        int other = consolePort == PORT_DEBUGCON_QEMU ? PORT_DEBUGCON_BOCHS : PORT_DEBUGCON_QEMU;
        new IsaDebugcon(other, DEBUGCON_READBACK, null).realize(board.isaSlot("/machine/debugcon-other", isa));
        new IsaDebugExit(PORT_DEBUG_EXIT, DEBUG_EXIT_PORTS).realize(board.isaSlot("/machine/debug-exit", isa));
        port92.realize(board.isaSlot("/machine/port92", isa));
        if (postPort >= 0) {
            // a POST diagnostic port (test386.asm writes its test numbers to 0x190): bytes recorded
            dev.machina.hw.core.IsaSlot post = board.isaSlot("/machine/post", isa);
            post.registerIo(postPort, post.regions().io("post", 1, RegionOps.writeOnly((offset, size, value) -> postCodes.add((int) value & 0xFF)),
                    AccessRule.sizes(1, 1)));
        }
        board.wiring().gpio(CPU_PATH).inputs("a20", 1, (i, level) -> cpuRef[0].setA20(level));
        board.wiring().connect(new Pin("/machine/port92", "a20[0]"), new Pin(CPU_PATH, "a20[0]"));

        this.memory = ms.memory().physical();
        this.cpu = new Cpu(model, memory, ms.io().ports());
        cpuRef[0] = cpu;
        ms.memory().onRemap(cpu::flushTranslations);
        ms.onRamWritten((off, len) -> cpu.invalidateBacking(off, len));
        port92.reset();
    }

    /** The harness's reset and exit requests: noted, and the CPU stopped at the next block. */
    private final class Control implements MachineControl {
        private final Cpu[] cpu;

        Control(Cpu[] cpu) {
            this.cpu = cpu;
        }

        @Override
        public void requestReset(ShutdownCause cause) {
            resetRequested = true;
            cpu[0].requestStop();
        }

        @Override
        public void requestShutdown(ShutdownCause cause) {
            requestExit(0);
        }

        @Override
        public void requestExit(int status) {
            if (exitStatus == null) {
                exitStatus = status;
            }
            cpu[0].requestStop();
        }
    }

    /** The console: bytes to the output stream, with a mark per byte when asked. */
    private final class ConsoleChardev implements CharFrontend {
        @Override
        public void write(int b) {
            if (recordMarks) {
                marks.add(new Mark(b, cpu.instructions(), System.nanoTime()));
            }
            if (console == null) {
                return;
            }
            try {
                console.write(b);
                if (b == '\n') {
                    console.flush();
                }
            } catch (IOException e) {
                // the console went away (a closed pipe): the guest keeps running, as with a real serial line
            }
        }

        @Override
        public void setReceiver(CharReceiver receiver) {
        }
    }

    /** Loads a ROM file, checking it as QEMU checks a BIOS image. */
    public static byte[] readRom(Path file) {
        byte[] rom;
        // at most one byte more than the largest image: a huge file (or an endless one such as
        // /dev/zero) is reported by its size instead of filling the heap
        try (java.io.InputStream in = Files.newInputStream(file)) {
            rom = in.readNBytes(ROM_MAX + 1);
        } catch (NoSuchFileException e) {
            throw new BadRom("ROM image not found: " + file);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new BadRom("cannot read ROM image " + file + ": permission denied");
        } catch (IOException e) {
            throw new BadRom("cannot read ROM image " + file + ": " + e.getMessage());
        }
        if (rom.length > ROM_MAX) {
            throw new BadRom(file + ": a ROM image must be a multiple of 64 KiB and at most 16 MiB; this one is larger");
        }
        validateRom(rom, file.toString());
        return rom;
    }

    /** QEMU's rule for a PC BIOS (hw/i386/x86.c x86_bios_rom_init): a positive multiple of 64 KiB; here at most 16 MiB. */
    static void validateRom(byte[] rom, String what) {
        if (rom.length == 0 || rom.length % 65536 != 0 || rom.length > ROM_MAX) {
            throw new BadRom(what + ": a ROM image must be a multiple of 64 KiB and at most 16 MiB; this one has "
                    + rom.length + " bytes");
        }
    }

    public Cpu cpu() {
        return cpu;
    }

    /** Physical memory as the CPU sees it. */
    public PhysicalMemory memory() {
        return memory;
    }

    /** Times of the debug-console bytes from now on. */
    public void recordMarks() {
        recordMarks = true;
    }

    public java.util.List<Mark> marks() {
        return marks;
    }

    /** The bytes written to the POST port so far, in order. */
    public java.util.List<Integer> postCodes() {
        return postCodes;
    }

    /** How many times a triple fault reset the machine. */
    public int resets() {
        return resets;
    }

    /** Runs until the guest exits, shuts down (under noReboot), halts for good, or the budget runs out. */
    public Result run(long maxInstructions) {
        long start = cpu.instructions();
        long faults0 = cpu.faults();
        while (true) {
            long left = maxInstructions - (cpu.budgetSpent() - start - faults0);
            if (left <= 0) {
                return result(End.LIMIT, 0, start, faults0);
            }
            Cpu.Stop stop = cpu.run(Math.min(left, 1L << 30));
            if (exitStatus != null) {
                return result(End.EXIT, exitStatus, start, faults0);
            }
            if (resetRequested) {
                resetRequested = false;
                stop = Cpu.Stop.SHUTDOWN;
            }
            switch (stop) {
                case SHUTDOWN -> {
                    if (noReboot) {
                        return result(End.SHUTDOWN, 0, start, faults0);
                    }
                    resets++;
                    cpu.reset();
                    port92.reset();
                }
                case HALTED -> {
                    // no interrupt controller here: nothing can wake a halted CPU
                    return result(End.HALTED, 0, start, faults0);
                }
                default -> {
                }
            }
        }
    }

    private Result result(End end, int status, long start, long faults0) {
        return new Result(end, status, cpu.instructions() - start, cpu.faults() - faults0);
    }
}
