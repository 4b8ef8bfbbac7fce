package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code -device help} and {@code -device T,help} against QEMU 7.2's own output for every device type it
 * lists (tests/qemu72/device-help.txt and device-type-help.txt, recorded by tools/qemu72/record-device-help.sh).
 */
class DeviceHelpAgreesWithQemuTest {
    static final Path LIST = Path.of("tests/qemu72/device-help.txt");
    static final Path TYPES = Path.of("tests/qemu72/device-type-help.txt");
    static final Pattern PROP = Pattern.compile("^  ([^=\\s]+)=<(\\S*)>.*$");

    /**
     * T -> the properties QEMU 7.2's -device T,help lists that a user can set: not its child&lt;&gt;
     * properties (the parts a device is built of: an isa-serial's "serial", an ich9-ahci's MMIO regions),
     * which the object model keeps as its composition, not as options.
     */
    static Map<String, TreeSet<String>> qemu() throws IOException {
        Map<String, TreeSet<String>> out = new LinkedHashMap<>();
        TreeSet<String> cur = null;
        for (String line : Files.readAllLines(TYPES)) {
            if (line.startsWith("=== ")) {
                cur = new TreeSet<>();
                out.put(line.substring(4), cur);
                continue;
            }
            Matcher m = PROP.matcher(line);
            if (cur != null && m.matches() && !m.group(2).startsWith("child<")) {
                cur.add(m.group(1));
            }
        }
        return out;
    }

    static TreeSet<String> machina(Context context, String type) {
        CliRunner r = CliRunner.run(context, "run", "-device", type + ",help");
        TreeSet<String> out = new TreeSet<>();
        for (String line : r.out().split("\n")) {
            Matcher m = PROP.matcher(line);
            if (m.matches()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    /**
     * CPU model types are the CPU data's (machines/types/cpu.yaml): the versioned ones QEMU 7.2 lists
     * (Broadwell-v1-x86_64-cpu, ...) and the feature-word properties of x86 CPUs are not declared yet.
     */
    static boolean cpu(String type) {
        return type.endsWith("-x86_64-cpu");
    }

    @Test
    void everyDeviceTypeQemuListsIsListedButVersionedCpuModels() throws IOException {
        Context context = new Context();
        String ours = CliRunner.run(context, "run", "-device", "help").out();
        List<String> missing = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^name \"([^\"]+)\"").matcher(Files.readString(LIST));
        int listed = 0;
        while (m.find()) {
            listed++;
            if (!ours.contains("name \"" + m.group(1) + "\"") && !cpu(m.group(1))) {
                missing.add(m.group(1));
            }
        }
        assertTrue(listed >= 389, listed + " types in " + LIST);
        assertEquals(List.of(), missing, "device types QEMU 7.2's -device help lists that Machina's does not");
    }

    @Test
    void everyDeviceTypesHelpHasEveryPropertyQemusHas() throws IOException {
        Context context = new Context();
        Map<String, TreeSet<String>> lacking = new TreeMap<>();
        int checked = 0;
        for (Map.Entry<String, TreeSet<String>> e : qemu().entrySet()) {
            if (cpu(e.getKey())) {
                continue;
            }
            checked++;
            TreeSet<String> lack = new TreeSet<>(e.getValue());
            lack.removeAll(machina(context, e.getKey()));
            if (!lack.isEmpty()) {
                lacking.put(e.getKey(), lack);
            }
        }
        assertTrue(checked >= 257, checked + " types checked");
        assertEquals(Map.of(), lacking, "properties QEMU 7.2's -device T,help lists that Machina's does not");
    }
}
