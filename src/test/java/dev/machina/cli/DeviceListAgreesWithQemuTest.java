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
 * aliases, the order and the layout. Every CPU type is declared (machines/types/cpu.yaml, tools/gen_machines.py
 * from QEMU 7.2's qom-list-types and builtin_x86_defs), so the whole text is compared.
 */
class DeviceListAgreesWithQemuTest {
    @Test
    void deviceHelpIsQemus() throws Exception {
        Context context = new Context();
        CliRunner r = CliRunner.run(context, "run", "-device", "help");
        assertEquals(0, r.code(), r.err());
        assertEquals(Files.readString(Path.of("tests/qemu72/device-help.txt")), r.out());
    }

    /** Every CPU type QEMU 7.2 lists (the models, each version NAME-vN, the aliases, base/max/host) is declared. */
    @Test
    void everyCpuTypeOfQemuIsDeclared() throws Exception {
        Context context = new Context();
        List<String> left = new ArrayList<>();
        Matcher cpu = Pattern.compile("^name \"([^\"]+-x86_64-cpu)\"$").matcher("");
        int seen = 0;
        for (String line : Files.readAllLines(Path.of("tests/qemu72/device-help.txt"))) {
            if (cpu.reset(line).matches()) {
                seen++;
                if (context.registry().find(cpu.group(1)).isEmpty()) {
                    left.add(cpu.group(1));
                }
            }
        }
        assertEquals(132, seen, "QEMU 7.2's -device help lists 132 CPU types");
        assertEquals(List.of(), left, "CPU types QEMU 7.2 lists that the registry lacks");
    }
}
