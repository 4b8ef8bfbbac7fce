package dev.machina.cpu.x86.singlestep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.machina.cpu.x86.Cpu;
import dev.machina.cpu.x86.CpuModel;
import dev.machina.memory.IoPorts;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Runs SingleStepTests records (JSON lines, optionally gzip-compressed, as in
 * {@code ../shared/x86/singlestep/}) on the CPU core in real mode and compares the final state.
 *
 * <p>How a test runs (the suite's README): 16 MiB of RAM; load the initial registers and bytes;
 * start at CS:IP; run until the HLT after the instruction (an exception runs its handler, found
 * through the test's vector table, up to an injected HLT); compare every register (the listed final
 * value, else the initial one) and every listed byte, and check the other initial bytes are
 * unchanged. FLAGS are compared under the opcode's {@code flags-mask} from {@code metadata.json}
 * (undefined flags), and without bits 12-15 (see {@link Differences286}). Tests matched by a
 * {@link Differences286} rule are skipped.
 */
public final class SingleStepRunner {
    /** A test that failed or was skipped: where it is, what it is, and why. */
    public record Outcome(String kind, int line, String file, int idx, String name, String hash, String detail) {
        @Override
        public String toString() {
            return kind + " " + file + " #" + idx + " " + hash + " " + name + ": " + detail;
        }
    }

    /**
     * Counts and the list of tests that did not simply pass. {@code passed} includes the
     * {@code adapted} tests: those that pass once a verified {@link Differences286} adaptation is
     * applied (each is listed with its rule).
     */
    public record Summary(int passed, int adapted, int failed, int skipped, List<Outcome> outcomes) {
        public String line() {
            return passed + " passed, " + failed + " failed, " + skipped + " skipped";
        }
    }

    /**
     * The full report ({@code machina cpu singlestep --list}, and the checked-in list the conformance
     * test compares with): the 286-difference rules with their reasons, every skipped and failed
     * test, the summary line.
     */
    public static List<String> report(Summary s) {
        List<String> lines = new ArrayList<>();
        if (s.skipped() > 0 || s.adapted() > 0) {
            for (Differences286.Rule r : Differences286.RULES) {
                lines.add("# skip rule " + r.name() + ": " + r.reason());
            }
            for (Differences286.Rule r : Differences286.ADAPTATIONS) {
                lines.add("# adaptation " + r.name() + ": " + r.reason());
            }
        }
        for (Outcome o : s.outcomes()) {
            lines.add(o.toString());
        }
        if (s.adapted() > 0) {
            lines.add("(" + s.adapted() + " of the passes are adapted: they pass once a 286-vs-386 difference is taken out)");
        }
        lines.add(s.line());
        return lines;
    }

    private static final int RAM = 16 << 20;
    /** Instructions a test may take: the one under test, a handler's HLT, and REP chunks. */
    private static final long BUDGET = 2_000;
    private static final String[] REG16 = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di"};
    private static final String[] REG32 = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"};
    private static final String[] SEGS = {"es", "cs", "ss", "ds", "fs", "gs"};

    private final ObjectMapper json = new ObjectMapper();
    private final JsonNode metadata;
    private final boolean applySkips;
    private final FlatRam ram = new FlatRam(RAM);
    private final Cpu cpu = new Cpu(CpuModel.named(CpuModel.DEFAULT), ram, IoPorts.NONE);

    {
        // every test is fresh code: on the compiled tier each one's block is compiled (the allowance would stop at 512)
        cpu.setJitAllowance(Long.MAX_VALUE / 2, 1);
    }

    /**
     * @param metadataFile the suite's metadata.json (flags masks; {@code "cpu": "286"} turns on the
     *     {@link Differences286} skips), or null for none
     */
    public SingleStepRunner(Path metadataFile) {
        if (metadataFile == null) {
            metadata = null;
            applySkips = false;
            return;
        }
        JsonNode root;
        try {
            dev.machina.util.BoundedInput.Read read = dev.machina.util.BoundedInput.read(metadataFile, MAX_METADATA_BYTES);
            if (read.tooLarge()) {
                throw new SingleStepError(metadataFile + ": larger than " + dev.machina.util.BoundedInput.size(MAX_METADATA_BYTES)
                        + " (the limit for a metadata file; SingleStepTests' is about 200 KB), not read past line "
                        + dev.machina.util.BoundedInput.lineAt(read.bytes(), read.bytes().length));
            }
            root = json.readTree(read.bytes());
            metadata = root.path("opcodes");
        } catch (NoSuchFileException e) {
            throw new SingleStepError("metadata file not found: " + metadataFile);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new SingleStepError("cannot read metadata " + metadataFile + ": permission denied");
        } catch (IOException e) {
            throw new SingleStepError("cannot read metadata " + metadataFile + ": " + oneLine(e));
        }
        if (metadata.isMissingNode() || !metadata.isObject()) {
            throw new SingleStepError(metadataFile + ": not a SingleStepTests metadata file (no \"opcodes\" object)");
        }
        applySkips = "286".equals(root.path("cpu").asText());
    }

    /** Runs every test in a file ({@code .gz} or plain JSON lines). */
    public Summary run(Path file) {
        return run(file, null);
    }

    /** {@link #run(Path)}, telling {@code bytesRead} (when not null) how much of the file has been read so far. */
    public Summary run(Path file, java.util.function.LongConsumer bytesRead) {
        try (InputStream raw = bytesRead == null ? Files.newInputStream(file) : counting(Files.newInputStream(file), bytesRead)) {
            InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
            return run(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new SingleStepError("test file not found: " + file);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new SingleStepError("cannot read " + file + ": permission denied");
        } catch (ZipException | EOFException e) {
            throw new SingleStepError(file + ": not a readable gzip file (" + oneLine(e) + ")");
        } catch (IOException e) {
            throw new SingleStepError("cannot read " + file + ": " + oneLine(e));
        }
    }

    private static InputStream counting(InputStream in, java.util.function.LongConsumer bytesRead) {
        return new java.io.FilterInputStream(in) {
            private long total;

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    bytesRead.accept(++total);
                }
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = super.read(buf, off, len);
                if (n > 0) {
                    total += n;
                    bytesRead.accept(total);
                }
                return n;
            }
        };
    }

    Summary run(InputStream in, String name) throws IOException {
        dev.machina.util.BoundedInput.Lines r = new dev.machina.util.BoundedInput.Lines(new InputStreamReader(in, StandardCharsets.UTF_8),
                MAX_LINE_CHARS);
        int passed = 0, adapted = 0, failed = 0, skipped = 0;
        List<Outcome> outcomes = new ArrayList<>();
        String text;
        int line = 0;
        int records = 0;
        while ((text = next(r, name)) != null) {
            line++;
            if (text.isBlank()) {
                continue;
            }
            records++;
            SingleStepCase t = parse(text, name, line);
            if (applySkips) {
                var rule = Differences286.skipRule(t);
                if (rule.isPresent()) {
                    skipped++;
                    outcomes.add(new Outcome("skip", line, t.file(), t.idx(), t.name(), t.hash(), rule.get().name()));
                    continue;
                }
            }
            String why = runOne(t, null);
            if (why != null && applySkips) {
                var rule = Differences286.verifiedDifference(t, variant -> runOne(t, variant) == null);
                if (rule.isPresent()) {
                    passed++;
                    adapted++;
                    outcomes.add(new Outcome("adapted", line, t.file(), t.idx(), t.name(), t.hash(), rule.get().name()));
                    continue;
                }
            }
            if (why == null) {
                passed++;
            } else {
                failed++;
                outcomes.add(new Outcome("fail", line, t.file(), t.idx(), t.name(), t.hash(), why));
            }
        }
        if (records == 0) {
            throw new SingleStepError(name + ": no tests in the file");
        }
        return new Summary(passed, adapted, failed, skipped, outcomes);
    }

    /** The longest line read (1 MiB; a SingleStepTests record is a few KB): /dev/zero has no line end. */
    static final int MAX_LINE_CHARS = 1 << 20;

    /** The largest metadata.json read (16 MiB). */
    static final int MAX_METADATA_BYTES = 16 << 20;

    private static String next(dev.machina.util.BoundedInput.Lines r, String name) throws IOException {
        try {
            return r.next();
        } catch (dev.machina.util.BoundedInput.LineTooLong e) {
            throw new SingleStepError(name + ":" + e.line() + ": a line longer than " + e.limit() + " characters (the limit for one test record), so not a SingleStepTests file");
        }
    }

    private SingleStepCase parse(String text, String file, int line) {
        JsonNode n;
        try {
            n = json.readTree(text);
        } catch (IOException e) {
            throw new SingleStepError(file + ":" + line + ": not JSON: " + oneLine(e));
        }
        JsonNode init = n.path("initial");
        JsonNode fin = n.path("final");
        if (!n.path("bytes").isArray() || !init.path("regs").isObject() || !fin.path("regs").isObject()) {
            throw new SingleStepError(file + ":" + line + ": not a SingleStepTests record (needs bytes, initial.regs, final.regs)");
        }
        int[] bytes = new int[n.path("bytes").size()];
        for (int k = 0; k < bytes.length; k++) {
            bytes[k] = (int) number(n.path("bytes").get(k), 0, 0xFF, "bytes[" + k + "]", file, line);
        }
        JsonNode ex = n.path("exception");
        return new SingleStepCase(line, n.path("idx").asInt(), n.path("name").asText(""), bytes,
                regs(init.path("regs"), "initial.regs", file, line), ram(init.path("ram"), "initial.ram", file, line),
                regs(fin.path("regs"), "final.regs", file, line), ram(fin.path("ram"), "final.ram", file, line),
                n.path("hash").asText(""), n.path("file").asText(""), ex.path("number").asInt(-1),
                ex.path("flag_address").asInt(-1));
    }

    /** An integer field of a record in [min, max], or a positioned error naming the field. */
    private static long number(JsonNode v, long min, long max, String what, String file, int line) {
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
            throw new SingleStepError(file + ":" + line + ": " + what + " is " + (v == null ? "missing" : v.toString())
                    + "; expected an integer " + min + ".." + max);
        }
        return v.asLong();
    }

    private static Map<String, Integer> regs(JsonNode node, String what, String file, int line) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            m.put(e.getKey(), (int) number(e.getValue(), 0, 0xFFFFFFFFL, what + "." + e.getKey(), file, line));
        }
        return m;
    }

    private static List<int[]> ram(JsonNode node, String what, String file, int line) {
        if (!node.isMissingNode() && !node.isArray()) {
            throw new SingleStepError(file + ":" + line + ": " + what + " is not a list of [address, byte] pairs");
        }
        List<int[]> out = new ArrayList<>();
        for (JsonNode p : node) {
            if (!p.isArray() || p.size() != 2) {
                throw new SingleStepError(file + ":" + line + ": " + what + " has " + p + "; expected [address, byte] pairs");
            }
            int a = (int) number(p.get(0), 0, RAM - 1, what + " address (RAM is 16 MiB)", file, line);
            out.add(new int[] {a, (int) number(p.get(1), 0, 0xFF, what + " byte", file, line)});
        }
        return out;
    }

    /**
     * Runs one test; returns null when it passed, else what differed. {@code extraRam} (may be
     * null) is written after the initial RAM: a {@link Differences286} variant of the test.
     */
    String runOne(SingleStepCase t, List<int[]> extraRam) {
        byte[] mem = ram.backing();
        for (int page : ram.takeWrittenPages()) {
            java.util.Arrays.fill(mem, page << 12, (page + 1) << 12, (byte) 0);
            cpu.invalidateCode((long) page << 12, 4096);
        }
        for (int[] p : t.initialRam()) {
            mem[p[0]] = (byte) p[1];
            ram.markWritten(p[0] >>> 12);
            cpu.invalidateCode(p[0], 1);
        }
        if (extraRam != null) {
            for (int[] p : extraRam) {
                mem[p[0]] = (byte) p[1];
                ram.markWritten(p[0] >>> 12);
                cpu.invalidateCode(p[0], 1);
            }
        }
        cpu.reset();
        Map<String, Integer> in = t.initialRegs();
        boolean wide = in.containsKey("eax");
        for (int k = 0; k < 8; k++) {
            cpu.setReg(k, in.getOrDefault(wide ? REG32[k] : REG16[k], 0));
        }
        for (int s = 0; s < 6; s++) {
            int sel = in.getOrDefault(SEGS[s], 0) & 0xFFFF;
            cpu.setSegment(s, sel, sel << 4, 0xFFFF, s == 1 ? 0x9B : 0x93);
        }
        cpu.setEip(in.getOrDefault(wide ? "eip" : "ip", 0));
        int flags0 = (in.getOrDefault(wide ? "eflags" : "flags", 2) & ~Differences286.FLAGS_NOT_COMPARED & 0xFFFF) | 2;
        cpu.setEflags(flags0);
        cpu.setHalted(false);
        Cpu.Stop stop = cpu.run(BUDGET);
        if (stop != Cpu.Stop.HALTED) {
            return "did not reach the HLT (" + stop + " at " + hex(cpu.segSelector(1)) + ":" + hex(cpu.eip()) + ")";
        }
        StringBuilder diff = new StringBuilder();
        Map<String, Integer> fin = t.finalRegs();
        int mask = flagsMask(t.file()) & ~Differences286.FLAGS_NOT_COMPARED;
        for (int k = 0; k < 8; k++) {
            String name = wide ? REG32[k] : REG16[k];
            int want = fin.getOrDefault(name, in.getOrDefault(name, 0));
            int got = wide ? cpu.reg(k) : cpu.reg(k) & 0xFFFF;
            if (got != want || (!wide && (cpu.reg(k) >>> 16) != 0)) {
                diff.append(' ').append(name).append(' ').append(hex(got)).append("≠").append(hex(want));
            }
        }
        for (int s = 0; s < 6; s++) {
            if (!in.containsKey(SEGS[s])) {
                continue;
            }
            int want = fin.getOrDefault(SEGS[s], in.get(SEGS[s]));
            if (cpu.segSelector(s) != want) {
                diff.append(' ').append(SEGS[s]).append(' ').append(hex(cpu.segSelector(s))).append("≠").append(hex(want));
            }
        }
        String ipName = wide ? "eip" : "ip";
        int wantIp = fin.getOrDefault(ipName, in.getOrDefault(ipName, 0));
        if (cpu.eip() != wantIp) {
            diff.append(' ').append(ipName).append(' ').append(hex(cpu.eip())).append("≠").append(hex(wantIp));
        }
        String flName = wide ? "eflags" : "flags";
        int wantFl = fin.containsKey(flName) ? fin.get(flName) : flags0;
        int gotFl = cpu.eflags();
        if (((gotFl ^ wantFl) & mask & 0xFFFF) != 0) {
            diff.append(" flags ").append(hex(gotFl & 0xFFFF)).append("≠").append(hex(wantFl)).append(" (mask ")
                    .append(hex(mask)).append(')');
        }
        Map<Integer, Integer> wantRam = new LinkedHashMap<>();
        for (int[] p : t.initialRam()) {
            wantRam.put(p[0], p[1]);
        }
        if (extraRam != null) {
            for (int[] p : extraRam) {
                wantRam.put(p[0], p[1]); // a variant's own bytes stay as it wrote them
            }
        }
        for (int[] p : t.finalRam()) {
            wantRam.put(p[0], p[1]);
        }
        // where an exception pushed FLAGS: SS:SP-2 (the suite's flag_address is rounded down to even for an
        // odd SP, so it is computed here); undefined flags are undefined in that image too
        int flagLo = -1, flagHi = -1;
        if (t.exception() >= 0 && !wide) {
            int ssBase = (in.getOrDefault("ss", 0) & 0xFFFF) << 4;
            int sp = in.getOrDefault("sp", 0);
            flagLo = ssBase + ((sp - 2) & 0xFFFF);
            flagHi = ssBase + ((sp - 1) & 0xFFFF);
        }
        int bad = 0;
        for (Map.Entry<Integer, Integer> e : wantRam.entrySet()) {
            int got = mem[e.getKey()] & 0xFF;
            int a = e.getKey();
            int byteMask = a == flagLo ? mask & 0xFF : a == flagHi ? (mask >>> 8) & 0xFF : 0xFF;
            if (((got ^ e.getValue()) & byteMask) != 0) {
                if (bad++ < 4) {
                    diff.append(" [").append(hex(e.getKey())).append("] ").append(hex(got)).append("≠").append(hex(e.getValue()));
                }
            }
        }
        if (bad > 4) {
            diff.append(" (").append(bad).append(" bytes differ)");
        }
        return diff.length() == 0 ? null : diff.toString().trim();
    }

    /** The flags-mask of an opcode file ("F6.7" looks in opcodes.F6.reg.7), or all ones. */
    int flagsMask(String file) {
        if (metadata == null) {
            return 0xFFFF;
        }
        String[] parts = file.split("\\.", 2);
        JsonNode op = metadata.path(parts[0]);
        if (parts.length > 1) {
            op = op.path("reg").path(parts[1]);
        }
        JsonNode m = op.path("flags-mask");
        return m.isNumber() ? m.asInt() : 0xFFFF;
    }

    private static String hex(int v) {
        return Integer.toHexString(v).toUpperCase();
    }

    private static String oneLine(Exception e) {
        // Jackson's own message ends with a source excerpt ("at [Source: ...]"): give the reason and the column only
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException j && j.getLocation() != null) {
            return j.getOriginalMessage().replace('\n', ' ') + " (column " + j.getLocation().getColumnNr() + ")";
        }
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.replace('\n', ' ');
    }
}
