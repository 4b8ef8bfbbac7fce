package dev.machina.cpu.x86.harness;

import dev.machina.cpu.x86.Cpu;
import dev.machina.cpu.x86.CpuModel;
import dev.machina.memory.IoPorts;
import dev.machina.memory.MemoryMap;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * RAM + ROM + debug ports around one {@link Cpu}.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Memory: RAM from 0 (with the VGA hole A0000-BFFFF left unassigned), the ROM image at the
 *       top of the 4 GiB space (so the reset vector FFFFFFF0 is in it), and its last 128 KiB (or all
 *       of a smaller image) aliased read-only just below 1 MiB, as QEMU's {@code isa-bios} does.</li>
 *   <li>Ports: the console port (0x402 as QEMU's isa-debugcon by default, or 0xE9 as Bochs's port
 *       e9 hack) writes a byte to the console; 0x402 reads back 0xE9 (isa-debugcon's readback);
 *       the other of the two ports is accepted and dropped, so guests written for both (like the
 *       benchmark) print once; a write of v to 0xF4..0xF7 ends the run with exit status (v << 1) | 1 (QEMU's
 *       isa-debug-exit); bit 1 of port 0x92 is the A20 gate. Other ports read all ones.</li>
 *   <li>A triple fault resets the machine, or ends the run under {@code noReboot} (QEMU's
 *       {@code -no-reboot}). A CPU halted with nothing that could wake it ends the run.</li>
 * </ul>
 */
public final class BareMachine {
    /** QEMU's isa-bios window: the last 128 KiB of the BIOS below 1 MiB. */
    static final long BIOS_ALIAS_MAX = 128 * 1024;
    /** The largest ROM image accepted (a limit of this harness: 16 MiB below 4 GiB). */
    static final int ROM_MAX = 16 << 20;
    public static final int PORT_DEBUGCON_BOCHS = 0xE9, PORT_DEBUGCON_QEMU = 0x402;
    static final int PORT_DEBUG_EXIT = 0xF4, PORT_A20 = 0x92;
    /** Value a read of QEMU's isa-debugcon port returns (its "readback" property default). */
    static final int DEBUGCON_READBACK = 0xE9;

    /** How a run ended. */
    public enum End { EXIT, SHUTDOWN, HALTED, LIMIT }

    /** The end of a run; {@code exitStatus} is the isa-debug-exit status for {@link End#EXIT}, else 0. */
    public record Result(End end, int exitStatus, long instructions) {}

    /** A debug-console byte with when it was written (for timing a guest from inside). */
    public record Mark(int value, long instructions, long nanos) {}

    private final Cpu cpu;
    private final MemoryMap memory;
    private final OutputStream console;
    private final int consolePort;
    private final boolean noReboot;
    private final java.util.List<Mark> marks = new java.util.ArrayList<>();
    private boolean recordMarks;
    private Integer exitValue;
    private int resets;

    public BareMachine(CpuModel model, long ramBytes, byte[] rom, OutputStream console, boolean noReboot) {
        this(model, ramBytes, rom, console, noReboot, PORT_DEBUGCON_QEMU);
    }

    /** @param consolePort 0x402 (QEMU's isa-debugcon) or 0xE9 (Bochs's port e9 hack) */
    public BareMachine(CpuModel model, long ramBytes, byte[] rom, OutputStream console, boolean noReboot, int consolePort) {
        validateRom(rom, "ROM image");
        if (consolePort != PORT_DEBUGCON_QEMU && consolePort != PORT_DEBUGCON_BOCHS) {
            throw new IllegalArgumentException("the debug console port is 0x402 or 0xE9, not 0x" + Integer.toHexString(consolePort));
        }
        this.consolePort = consolePort;
        if (ramBytes < 0x100000 || (ramBytes & 0xFFF) != 0 || ramBytes > 0x7000_0000L) {
            throw new BadRom("RAM size must be 1 MiB to 1.75 GiB in whole pages, not " + ramBytes);
        }
        long top = 1L << 32;
        long alias = Math.min(rom.length, BIOS_ALIAS_MAX);
        this.memory = MemoryMap.builder()
                .ram(0, ramBytes)
                .hole(0xA0000, 0x20000)
                .rom(top - rom.length, rom)
                .romAlias(0x100000 - alias, top - alias, alias)
                .build();
        this.console = console;
        this.noReboot = noReboot;
        this.cpu = new Cpu(model, memory, new Ports());
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

    public MemoryMap memory() {
        return memory;
    }

    /** Times of the debug-console bytes from now on. */
    public void recordMarks() {
        recordMarks = true;
    }

    public java.util.List<Mark> marks() {
        return marks;
    }

    /** How many times a triple fault reset the machine. */
    public int resets() {
        return resets;
    }

    /** Runs until the guest exits, shuts down (under noReboot), halts for good, or the budget runs out. */
    public Result run(long maxInstructions) {
        long start = cpu.instructions();
        while (true) {
            long left = maxInstructions - (cpu.instructions() - start);
            if (left <= 0) {
                return new Result(End.LIMIT, 0, cpu.instructions() - start);
            }
            Cpu.Stop stop = cpu.run(Math.min(left, 1L << 30));
            if (exitValue != null) {
                return new Result(End.EXIT, (exitValue << 1) | 1, cpu.instructions() - start);
            }
            switch (stop) {
                case SHUTDOWN -> {
                    if (noReboot) {
                        return new Result(End.SHUTDOWN, 0, cpu.instructions() - start);
                    }
                    resets++;
                    cpu.reset();
                }
                case HALTED -> {
                    // no interrupt controller here: nothing can wake a halted CPU
                    return new Result(End.HALTED, 0, cpu.instructions() - start);
                }
                default -> {
                }
            }
        }
    }

    /** The harness's I/O ports. */
    private final class Ports implements IoPorts {
        @Override
        public int in(int port, int size) {
            if (port == PORT_DEBUGCON_QEMU && size == 1) {
                return DEBUGCON_READBACK;
            }
            if (port == PORT_A20 && size == 1) {
                return 0x02; // A20 on (we never turn it off by default)
            }
            return size == 4 ? -1 : (1 << (8 * size)) - 1;
        }

        @Override
        public void out(int port, int size, int value) {
            if (port == consolePort && size == 1) {
                if (recordMarks) {
                    marks.add(new Mark(value & 0xFF, cpu.instructions(), System.nanoTime()));
                }
                write(value);
            } else if (port == PORT_DEBUGCON_BOCHS || port == PORT_DEBUGCON_QEMU) {
                return;
            } else if (port >= PORT_DEBUG_EXIT && port < PORT_DEBUG_EXIT + 4) {
                exitValue = value & (size == 4 ? -1 : (1 << (8 * size)) - 1);
                cpu.requestStop();
            } else if (port == PORT_A20 && size == 1) {
                cpu.setA20((value & 2) != 0);
            }
        }

        private void write(int value) {
            if (console == null) {
                return;
            }
            try {
                console.write(value);
                if (value == '\n') {
                    console.flush();
                }
            } catch (IOException e) {
                // the console went away (a closed pipe): the guest keeps running, as with a real serial line
            }
        }
    }
}
