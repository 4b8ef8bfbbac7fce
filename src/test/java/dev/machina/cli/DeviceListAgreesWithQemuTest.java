package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code -device help} against QEMU 7.2's own (tests/qemu72/device-help.txt, recorded by
 * tools/qemu72/record-device-help.sh), byte for byte. Categories, descriptions and which types are
 * user-creatable are data made from that recording (tools/qemu72/device-classes.json); what this compares
 * is Machina's: that the registry declares every type, the bus derived from each type's ancestry, the
 * aliases, the order and the layout.
 */
class DeviceListAgreesWithQemuTest {
    /**
     * The CPU types QEMU 7.2 lists that the registry does not declare yet: the versioned models
     * (Broadwell-v1-x86_64-cpu, ...) and the aliases the CPU data has no type for. Their lines are left
     * out of QEMU's text before the comparison; the count keeps this honest (it fails when one is added).
     */
    static final int CPU_TYPES_NOT_DECLARED = 97;

    @Test
    void deviceHelpIsQemusButTheUndeclaredCpuModels() throws Exception {
        Context context = new Context();
        CliRunner r = CliRunner.run(context, "run", "-device", "help");
        assertEquals(0, r.code(), r.err());
        StringBuilder qemu = new StringBuilder();
        List<String> left = new ArrayList<>();
        Matcher cpu = Pattern.compile("^name \"([^\"]+-x86_64-cpu)\"$").matcher("");
        for (String line : Files.readAllLines(Path.of("tests/qemu72/device-help.txt"))) {
            if (cpu.reset(line).matches() && context.registry().find(cpu.group(1)).isEmpty()) {
                left.add(cpu.group(1));
                continue;
            }
            qemu.append(line).append('\n');
        }
        assertEquals(qemu.toString(), r.out());
        assertEquals(CPU_TYPES_NOT_DECLARED, left.size(), "CPU types QEMU 7.2 lists that the registry lacks: " + left);
    }
}
