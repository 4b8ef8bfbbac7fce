package dev.machina.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Replays a qtest transcript recorded from QEMU 7.2 ({@code tools/qtest/record.py}, stored in
 * {@code tests/qtest/NAME.txt}) on Machina's models and checks every response and every IRQ edge
 * QEMU reported. The transcript's lines are {@code COMMAND => RESPONSE}, preceded by the
 * {@code IRQ raise|lower N} lines QEMU emitted while it executed that command.
 */
public final class QtestReplay {
    /** What a transcript drives: the I/O and memory spaces and the IRQ lines of a board. */
    public interface Target {
        long in(int port, int size);

        void out(int port, int size, long value);

        long read(long addr, int size);

        void write(long addr, int size, long value);

        /** qtest {@code set_irq_in ROLE NAME N LEVEL}. */
        void setIrqIn(String role, String name, int n, boolean level);

        /** qtest {@code irq_intercept_out ROLE} (out) or {@code irq_intercept_in ROLE} (in): report edges to {@code sink}. */
        void intercept(boolean out, String role, IrqLog sink);

        /** A guest transcript's RDMSR (tools/qtest/guest_record.py). */
        default long rdmsr(int msr) {
            throw new UnsupportedOperationException("rdmsr on this board");
        }

        default void wrmsr(int msr, long value) {
            throw new UnsupportedOperationException("wrmsr on this board");
        }

        /** STI, two instructions, CLI: take every interrupt the CPU's INTR offers, logging "INT 0xVV". */
        default void stiWindow(IrqLog log) {
            throw new UnsupportedOperationException("sti_window on this board");
        }

        /** A guest's busy loop: time passes (the board decides how much). */
        default void spin(long iterations) {
            throw new UnsupportedOperationException("spin on this board");
        }

        /** Lets time pass until the local APIC requests {@code vector}; false if it never does. */
        default boolean waitIrr(int vector) {
            throw new UnsupportedOperationException("wait_irr on this board");
        }
    }

    /** The IRQ edges seen since the last command, in qtest's words ("IRQ raise 4"); only changes count. */
    public static final class IrqLog {
        private final List<String> lines = new ArrayList<>();
        private final boolean[] levels = new boolean[64];

        /** A guest transcript's "INT 0xVV": the CPU took vector {@code v}. */
        public void taken(int v) {
            lines.add(String.format("INT 0x%02x", v));
        }

        public void set(int n, boolean level) {
            if (levels[n] != level) {
                levels[n] = level;
                lines.add("IRQ " + (level ? "raise" : "lower") + " " + n);
            }
        }

        List<String> drain() {
            List<String> out = List.copyOf(lines);
            lines.clear();
            return out;
        }
    }

    private record Step(int line, String command, List<String> irqs, String response) {}

    private QtestReplay() {}

    /** Every transcript of {@code tests/qtest} whose name starts with {@code prefix}. */
    public static List<Path> transcripts(String prefix) {
        return transcripts(Path.of("tests/qtest"), prefix);
    }

    /** Every transcript of {@code dir} whose name starts with {@code prefix}. */
    public static List<Path> transcripts(Path dir, String prefix) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix) && p.toString().endsWith(".txt"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Replays {@code transcript} on a test board built for the machine its header names (the
     * recorder's command line: {@code -M pc} or {@code -M pc,hpet=off}).
     */
    public static void replay(Path transcript, java.util.function.Function<String, Target> boardFor) {
        String machine = "pc";
        try {
            for (String l : Files.readAllLines(transcript)) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("^# \\S*qemu-system-\\S+ -M (\\S+)").matcher(l);
                if (m.find()) {
                    machine = m.group(1);
                    break;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        replay(transcript, boardFor.apply(machine));
    }

    /** Replays {@code transcript} on {@code target}; fails at the first difference, naming its line. */
    public static void replay(Path transcript, Target target) {
        List<Step> steps = parse(transcript);
        if (steps.isEmpty()) {
            fail(transcript + ": no commands");
        }
        IrqLog log = new IrqLog();
        for (Step step : steps) {
            String got = execute(step.command(), target, log);
            String where = transcript.getFileName() + ":" + step.line() + ": " + step.command();
            assertEquals(step.irqs(), log.drain(), where + ": IRQ edges");
            assertEquals(step.response(), got, where);
        }
    }

    private static List<Step> parse(Path transcript) {
        List<String> lines;
        try {
            lines = Files.readAllLines(transcript);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Step> steps = new ArrayList<>();
        List<String> irqs = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            if (l.startsWith("IRQ ") || l.startsWith("INT ")) {
                irqs.add(l);
                continue;
            }
            int arrow = l.indexOf(" => ");
            if (arrow < 0) {
                fail(transcript + ":" + (i + 1) + ": expected 'COMMAND => RESPONSE', got '" + l + "'");
            }
            steps.add(new Step(i + 1, l.substring(0, arrow), List.copyOf(irqs), l.substring(arrow + 4)));
            irqs.clear();
        }
        return steps;
    }

    private static String execute(String command, Target t, IrqLog log) {
        String[] w = command.split("\\s+");
        return switch (w[0]) {
            case "inb" -> hex(t.in(num(w[1]), 1), 4);
            case "inw" -> hex(t.in(num(w[1]), 2), 4);
            case "inl" -> hex(t.in(num(w[1]), 4), 4); // QEMU prints every in* as 0x%04x
            case "outb", "outw", "outl" -> {
                t.out(num(w[1]), w[0].equals("outb") ? 1 : w[0].equals("outw") ? 2 : 4, Long.decode(w[2]));
                yield "OK";
            }
            case "readb", "readw", "readl", "readq" -> hex(t.read(Long.decode(w[1]), size(w[0])), 16);
            case "writeb", "writew", "writel", "writeq" -> {
                t.write(Long.decode(w[1]), size(w[0]), unsigned(w[2]));
                yield "OK";
            }
            case "set_irq_in" -> {
                t.setIrqIn(role(w[1]), w[2], Integer.parseInt(w[3]), !w[4].equals("0"));
                yield "OK";
            }
            case "irq_intercept_out", "irq_intercept_in" -> {
                t.intercept(w[0].endsWith("out"), role(w[1]), log);
                yield "OK";
            }
            case "rdmsr" -> hex(t.rdmsr(Integer.decode(w[1])), 16);
            case "wrmsr" -> {
                t.wrmsr(Integer.decode(w[1]), unsigned(w[2]));
                yield "OK";
            }
            case "sti_window" -> {
                t.stiWindow(log);
                yield "OK";
            }
            case "spin" -> {
                t.spin(Long.parseLong(w[1]));
                yield "OK";
            }
            case "wait_irr" -> t.waitIrr(Integer.decode(w[1])) ? "OK" : "TIMEOUT";
            default -> throw new IllegalArgumentException("qtest command not replayable: " + command);
        };
    }

    private static int size(String cmd) {
        return switch (cmd.charAt(cmd.length() - 1)) {
            case 'b' -> 1;
            case 'w' -> 2;
            case 'l' -> 4;
            default -> 8;
        };
    }

    private static String role(String braced) {
        return braced.substring(1, braced.length() - 1);
    }

    /** A 64-bit value as qtest writes it: 0x-prefixed hex (all 64 bits) or decimal. */
    private static long unsigned(String s) {
        return s.startsWith("0x") ? Long.parseUnsignedLong(s.substring(2), 16) : Long.parseLong(s);
    }

    private static int num(String s) {
        return Integer.decode(s);
    }

    /** qtest's reply to a read: "OK 0x" and at least {@code digits} hex digits (QEMU prints %04x, %08x, %016x). */
    private static String hex(long v, int digits) {
        return "OK 0x" + String.format("%0" + digits + "x", v);
    }
}
