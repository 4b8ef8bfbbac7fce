package dev.machina.cli;

import dev.machina.cpu.x86.CpuModel;
import dev.machina.cpu.x86.harness.BareMachine;
import dev.machina.util.UserException;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code machina cpu run ROM}: a bare-metal guest on the CPU core alone (RAM, the ROM at the reset
 * vector, debug console on port 0x402, isa-debug-exit on 0xF4). The guest's console bytes go to
 * stdout; the exit status is the guest's isa-debug-exit status ((v << 1) | 1), as with QEMU.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a bare-metal guest ROM on the CPU core alone: RAM, the ROM at the reset vector,",
                "debug console on port 0x402 or 0xE9 (to stdout), isa-debug-exit on port 0xF4.",
                "Exit status: the guest's (v << 1) | 1 when it writes v to port 0xF4; 0 after a triple fault",
                "under --no-reboot or a HLT nothing can wake; 1 on a bad ROM or when --max-instructions ran out."})
final class CpuRunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.ParentCommand
    CpuCommand parent;

    @Parameters(paramLabel = "ROM", description = "ROM image (a multiple of 64 KiB; mapped below 4 GiB and its last 128 KiB below 1 MiB)")
    Path rom;

    @Option(names = "-m", paramLabel = "MIB", defaultValue = "32", description = "RAM in MiB (default: ${DEFAULT-VALUE})")
    int ramMib;

    @Option(names = "--cpu", paramLabel = "MODEL[,+feat,-feat]", defaultValue = CpuModel.DEFAULT,
            description = "CPU model and feature changes, as QEMU's -cpu (default: ${DEFAULT-VALUE}); 'help' lists them")
    String model;

    @Option(names = "--debug-port", paramLabel = "PORT", defaultValue = "0x402",
            description = "the console port: 0x402 (QEMU's isa-debugcon, default) or 0xE9 (Bochs's port e9 hack)")
    String debugPort;

    @Option(names = "--post-port", paramLabel = "PORT",
            description = "record the bytes the guest writes to PORT as POST codes (test386.asm uses 0x190) and"
                    + " print them on stderr at the end, the last one as 'machina: last POST code XX'")
    String postPort;

    @Option(names = "--no-reboot", description = "stop on a triple fault instead of resetting (QEMU's -no-reboot)")
    boolean noReboot;

    @Option(names = "--max-instructions", paramLabel = "N", description = "stop after N instructions (a fault, whose instruction does not retire, counts as one; default: no limit)")
    long maxInstructions = Long.MAX_VALUE;

    @Mixin
    TierOptions tierOptions = new TierOptions();

    @Option(names = "--stats", description = "print instructions retired and MIPS on stderr at the end,"
            + " and for the stretch between the console bytes 'S' and 'D' when the guest prints them")
    boolean stats;

    /** Instructions per slice of a run that shows its progress: a fraction of a second of guest time. */
    private static final long SLICE = 1L << 24;

    /**
     * The run in slices, with a line on stderr between them: instructions so far and the rate. Only with
     * {@code --stats}, stderr a terminal and the guest's console not on it (so the two do not mix). Each
     * slice goes on where the last stopped, so the guest runs the same instructions; as with one long run,
     * the core checks the limit between its blocks, so a slice may end a few instructions past it.
     */
    private BareMachine.Result runShowingProgress(BareMachine m, Terminal term, long t0) {
        long done = 0;
        long faults = 0;
        try (Progress p = Progress.start(term, spec.commandLine().getErr(), "cpu run: instructions", 0)) {
            while (true) {
                long slice = Math.min(SLICE, maxInstructions - done - faults);
                BareMachine.Result r = m.run(slice);
                done += r.instructions();
                faults += r.faults();
                if (r.end() != BareMachine.End.LIMIT || done + faults >= maxInstructions) {
                    return new BareMachine.Result(r.end(), r.exitStatus(), done, faults);
                }
                double sec = (System.nanoTime() - t0) / 1e9;
                p.advance(r.instructions(), String.format(java.util.Locale.ROOT, "(%.1f MIPS)", done / sec / 1e6));
            }
        }
    }

    /** The run in slices of about a millisecond of guest time, noting the instructions retired when the first second ended. */
    private BareMachine.Result runTimingFirstSecond(BareMachine m, long t0, long[] firstSecond) {
        long done = 0;
        long faults = 0;
        while (true) {
            long slice = Math.min(firstSecond[0] < 0 ? 1L << 20 : Long.MAX_VALUE, maxInstructions - done - faults);
            BareMachine.Result r = m.run(slice);
            done += r.instructions();
            faults += r.faults();
            if (firstSecond[0] < 0 && System.nanoTime() - t0 >= 1_000_000_000L) {
                firstSecond[0] = done;
            }
            if (r.end() != BareMachine.End.LIMIT || done + faults >= maxInstructions) {
                return new BareMachine.Result(r.end(), r.exitStatus(), done, faults);
            }
        }
    }

    @Override
    public Integer call() {
        if (model.equals("help") || model.equals("?")) {
            spec.commandLine().getOut().print(CpuModel.help());
            spec.commandLine().getOut().flush();
            return Main.EXIT_OK;
        }
        PrintWriter warn = spec.commandLine().getErr();
        CpuModel cpuModel = CpuModel.select(model, w -> warn.println("machina: warning: " + w));
        warn.flush();
        byte[] image = BareMachine.readRom(rom);
        if (ramMib < 1 || ramMib > 1792) {
            throw new BadOption("-m: RAM must be 1 to 1792 MiB, not " + ramMib);
        }
        if (maxInstructions < 1) {
            throw new BadOption("--max-instructions: must be at least 1, not " + maxInstructions);
        }
        spec.commandLine().getOut().flush();
        OutputStream console = new BufferedOutputStream(parent.context().rawOut(), 1 << 12);
        int port;
        try {
            port = Integer.decode(debugPort);
        } catch (NumberFormatException e) {
            throw new BadOption("--debug-port: not a port number: " + debugPort);
        }
        if (port != BareMachine.PORT_DEBUGCON_QEMU && port != BareMachine.PORT_DEBUGCON_BOCHS) {
            throw new BadOption("--debug-port: the debug console is on port 0x402 or 0xE9, not " + debugPort);
        }
        int post = -1;
        if (postPort != null) {
            try {
                post = Integer.decode(postPort);
            } catch (NumberFormatException e) {
                throw new BadOption("--post-port: not a port number: " + postPort);
            }
            if (post < 0 || post > 0xFFFF || post == port || post == 0x92
                    || (post >= BareMachine.PORT_DEBUG_EXIT && post < BareMachine.PORT_DEBUG_EXIT + 4)) {
                throw new BadOption("--post-port: must be a free I/O port 0 to 0xFFFF (not the console, 0x92 or 0xF4-0xF7), not "
                        + postPort);
            }
        }
        dev.machina.cpu.x86.Tier t = tierOptions.tier();
        BareMachine m = new BareMachine(cpuModel, (long) ramMib << 20, image, console, noReboot, port, post);
        m.cpu().setTier(t, tierOptions.jitThreshold);
        if (stats) {
            m.recordMarks();
        }
        long t0 = System.nanoTime();
        // warm-up is part of the figure: instructions retired in the first second (runs in slices to see it)
        long[] firstSecond = {-1};
        BareMachine.Result r;
        Terminal term = parent.context().terminal();
        if (stats && term.progress() && !term.stdoutIsTerminal()) {
            r = runShowingProgress(m, term, t0);
        } else if (stats) {
            r = runTimingFirstSecond(m, t0, firstSecond);
        } else {
            r = m.run(maxInstructions);
        }
        long t1 = System.nanoTime();
        try {
            console.flush();
        } catch (java.io.IOException e) {
            // stdout closed: nothing more to say there
        }
        PrintWriter err = spec.commandLine().getErr();
        if (stats) {
            err.printf("machina: %d instructions in %.3f s (%.1f MIPS)%n", r.instructions(), (t1 - t0) / 1e9,
                    r.instructions() / ((t1 - t0) / 1e3));
            List<BareMachine.Mark> marks = m.marks();
            BareMachine.Mark s = marks.stream().filter(k -> k.value() == 'S').findFirst().orElse(null);
            BareMachine.Mark d = marks.stream().filter(k -> k.value() == 'D').findFirst().orElse(null);
            if (s != null && d != null) {
                long n = d.instructions() - s.instructions();
                double sec = (d.nanos() - s.nanos()) / 1e9;
                err.printf("machina: S..D %d instructions in %.3f s (%.1f MIPS)%n", n, sec, n / sec / 1e6);
            }
            if (firstSecond[0] >= 0) {
                err.printf("machina: first second: %d instructions (%.1f MIPS)%n", firstSecond[0], firstSecond[0] / 1e6);
            }
            if (t == dev.machina.cpu.x86.Tier.COMPILED) {
                err.printf("machina: %d blocks compiled to JVM bytecode%n", m.cpu().compiledBlocks());
            }
        }
        if (post >= 0) {
            StringBuilder codes = new StringBuilder();
            for (int v : m.postCodes()) {
                codes.append(String.format(" %02X", v));
            }
            err.println("machina: POST codes:" + (codes.length() == 0 ? " (none)" : codes));
            if (!m.postCodes().isEmpty()) {
                err.printf("machina: last POST code %02X%n", m.postCodes().get(m.postCodes().size() - 1));
            }
        }
        switch (r.end()) {
            case EXIT -> {
                return r.exitStatus();
            }
            case SHUTDOWN -> {
                err.println("machina: triple fault: the guest shut the machine down (--no-reboot)");
                return Main.EXIT_OK;
            }
            case HALTED -> {
                err.printf("machina: the CPU halted and nothing can wake it (at %04X:%08X)%n",
                        m.cpu().segSelector(1), m.cpu().eip());
                return Main.EXIT_OK;
            }
            default -> {
                // the budget counts faults too (a fault's instruction does not retire): a guest that faults in
                // its handlers for ever must still come to the end of it
                err.println("machina: stopped after " + r.instructions() + " instructions"
                        + (r.faults() > 0 ? " and " + r.faults() + " faults" : "") + " (--max-instructions)");
                return Main.EXIT_USER;
            }
        }
    }

    /** An option value out of range. */
    static final class BadOption extends UserException {
        BadOption(String message) {
            super(message);
        }
    }
}
