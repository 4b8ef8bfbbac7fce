package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.machina.config.ParsedCommandLine;
import dev.machina.config.ReadMode;
import dev.machina.vm.Vm;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code run -cpu NAME} for the QEMU 7.2 models the CPU catalog does not hold (every builtin_x86_defs model,
 * its versions NAME-vN and their aliases): the machine's CPU has the identity its CPU type's data gives
 * (CpuModel.ofProperties). The cpuid guest runs on {@code -M pc} and prints what QEMU 7.2 TCG printed for the
 * same {@code -cpu} (tests/guests/cpuid-NAME.qemu.txt, tools/build-guests --qemu): the vendor, levels,
 * signature and brand string as recorded, and the feature words of leaves 1, 7 and 80000001h as recorded
 * cut to what Machina's core implements, the XSAVE and SVM leaves empty (the core offers neither). Not compared: the leaves QEMU derives from a model's cache
 * definition and its power leaf (2, 4, 6, 80000005h, 80000006h), which Machina takes from the catalog model
 * of the same vendor.
 */
class QemuCpuModelRunTest {
    private static final long BUDGET = 50_000_000L;
    private static final List<String> NOT_COMPARED = List.of("00000002.", "00000004.", "00000006.", "80000005.", "80000006.");

    @ParameterizedTest
    @ValueSource(strings = {"Skylake-Client-v2", "Skylake-Client-IBRS", "EPYC-Rome-v2", "Opteron_G3", "Dhyana-v2", "Snowridge-v4"})
    void theGuestSeesTheModelsIdentity(String model, @TempDir Path dir) throws Exception {
        Path log = dir.resolve("cpuid.log");
        List<String> args = List.of("-M", "pc", "-nodefaults", "-display", "none", "-cpu", model, "-bios", "tests/guests/cpuid.bin",
                "-device", "isa-debug-exit,iobase=0xf4,iosize=4", "-chardev", "file,id=d,path=" + log,
                "-device", "isa-debugcon,iobase=0x402,chardev=d");
        Context context = new Context();
        ParsedCommandLine p = ConfigSupport.configs(context).fromCommandLine(args, ReadMode.STRICT);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Vm vm = Vm.create(p.config(), context.catalog(), new Vm.Console(InputStream.nullInputStream(), console));
        Vm.Outcome o = vm.run(BUDGET);
        assertEquals(Vm.End.EXIT, o.end(), console.toString());
        List<String> ours = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
        List<String> qemu = Files.readAllLines(Path.of("tests/guests/cpuid-" + model + ".qemu.txt"), StandardCharsets.ISO_8859_1);
        List<String> wrong = new ArrayList<>();
        int compared = 0;
        // the guest sees xsave where QEMU shows it (the core implements it): CPUID.1:ECX[26] of the recording
        boolean xsave = qemu.stream().filter(l -> l.startsWith("00000001.")).findFirst()
                .map(l -> (Long.parseLong(l.split(" ")[3], 16) & (1 << 26)) != 0).orElseThrow();
        for (int i = 0; i < qemu.size() && qemu.get(i).matches("[0-9A-F]{8}\\..*"); i++) {
            String q = qemu.get(i);
            if (NOT_COMPARED.stream().anyMatch(q::startsWith)) {
                continue;
            }
            compared++;
            String e = expected(q, ours.get(i), level(qemu, "00000000."), level(qemu, "80000000."), xsave);
            if (!e.equals(ours.get(i))) {
                wrong.add("QEMU " + q + " (expected " + e + "), Machina " + ours.get(i));
            }
        }
        assertTrue(compared >= 15, "compared " + compared);
        assertEquals(List.of(), wrong, model);
    }

    /** QEMU's line, its feature words cut to the features Machina's core implements (the bits Machina shows). */
    /** The maximum leaf a recording's leaf 0 or 80000000h reports. */
    private static long level(List<String> recording, String leaf) {
        return recording.stream().filter(l -> l.startsWith(leaf)).findFirst().map(l -> Long.parseLong(l.split(" ")[1], 16)).orElseThrow();
    }

    private static String expected(String qemu, String ours, long level, long xlevel, boolean xsave) {
        String[] q = qemu.split(" "), m = ours.split(" ");
        if (!q[0].equals(m[0])) {
            return qemu;
        }
        String leaf = q[0].substring(0, 8);
        long asked = Long.parseLong(leaf, 16);
        long answered = asked >= 0x80000000L ? (asked > xlevel ? level : asked)
                : asked >= 0x40000000L || asked <= level ? asked : level; // the hypervisor range is not capped
        if (answered == 0xD && xsave) {
            // XSAVE state where the guest sees xsave: QEMU's cut to the x87 and SSE components the core has
            // (XCR0 bits 0-1, a 576-byte area) and sub-leaf 1 to xsaveopt and xgetbv1 (XsaveOps)
            long sub = Long.parseLong(q[0].substring(9, 17), 16);
            long eax = Long.parseLong(q[1], 16);
            return sub == 0 ? String.format("%s %08X %08X %08X %08X", q[0], eax & 3, 576, 576, 0)
                    : sub == 1 ? String.format("%s %08X %08X %08X %08X", q[0], eax & 5, 576, 0, 0)
                    : q[0] + " 00000000 00000000 00000000 00000000";
        }
        if (answered == 0xD || answered == 0x8000000AL) {
            // XSAVE state without xsave, and SVM: the core offers no svm (CpuModel.IMPLEMENTED), so both are
            // empty, as QEMU answers them for a model without the feature (8000000Ah beyond a model's xlevel
            // is leaf 0Dh's answer)
            return q[0] + " 00000000 00000000 00000000 00000000";
        }
        int[] mask;
        switch (leaf) {
            case "00000001", "80000001" -> mask = new int[] {-1, -1, 0, 0};
            case "00000007" -> mask = new int[] {-1, 0, 0, 0};
            default -> {
                return qemu;
            }
        }
        StringBuilder sb = new StringBuilder(q[0]);
        for (int r = 0; r < 4; r++) {
            long qv = Long.parseLong(q[r + 1], 16), mv = Long.parseLong(m[r + 1], 16);
            // a register of feature bits: Machina may show fewer bits, never others
            long v = mask[r] == -1 ? qv : ((mv & ~qv) == 0 ? mv : qv);
            sb.append(' ').append(String.format("%08X", v));
        }
        return sb.toString();
    }
}
