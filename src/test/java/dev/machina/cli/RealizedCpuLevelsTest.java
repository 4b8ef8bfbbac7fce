package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code machine diff} shows a CPU type's CPUID levels as QEMU's realize leaves them, never the
 * UINT32_MAX "auto" sentinel a level property holds until then: EPYC's xlevel is what pc-i440fx-1.4's
 * compat entry sets (0x8000000a) against what realize makes of it on 7.2 (its minimum, 0x8000001e), as
 * QEMU 7.2 reports them (tests/runtime/qemu72/cpu-levels.txt).
 */
class RealizedCpuLevelsTest {
    private static final Context SHARED = new Context();

    @Test
    void epycsXlevelIsTheRealizedValueOnBothSides() throws Exception {
        java.util.Map<String, String> qemu = new java.util.HashMap<>();
        for (String l : Files.readAllLines(Path.of("tests/runtime/qemu72/cpu-levels.txt"))) {
            if (!l.startsWith("#")) {
                String[] f = l.split(" ");
                qemu.put(f[0] + " " + f[1], f[2]);
            }
        }
        CliRunner r = CliRunner.run(SHARED, "machine", "diff", "pc-i440fx-1.4", "pc-i440fx-7.2");
        assertEquals(0, r.code(), r.err());
        List<String> row = r.out().lines().filter(l -> l.trim().startsWith("EPYC-x86_64-cpu ") && l.contains(" xlevel "))
                .map(l -> List.of(l.trim().split("\\s+"))).findFirst().orElseThrow(() -> new AssertionError(r.out()));
        assertEquals(List.of("EPYC-x86_64-cpu", "xlevel", qemu.get("pc-i440fx-1.4 xlevel"), qemu.get("pc-i440fx-7.2 xlevel")), row);
        assertTrue(r.out().lines().noneMatch(l -> l.contains("-x86_64-cpu ") && l.contains("4294967295")), r.out());
    }
}
