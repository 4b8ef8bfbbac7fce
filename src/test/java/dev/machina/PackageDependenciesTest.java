package dev.machina;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The dependency directions of ARCHITECTURE.md ("cli → config → vm → machine → qom", "cpu.x86 →
 * memory") for the packages whose package-info.java states them: every {@code dev.machina.X}
 * a main source file of the package names, by import or fully qualified, is the package itself or
 * one it may use.
 */
class PackageDependenciesTest {
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("hw.pci", Set.of("hw.pci", "hw.acpi", "hw.core", "memory", "qom")),
            Map.entry("hw.acpi", Set.of("hw.acpi", "hw.core", "memory")),
            Map.entry("memory", Set.of("memory")),
            Map.entry("cpu.x86", Set.of("cpu.x86", "memory", "util")),
            Map.entry("cpu.x86.harness", Set.of("cpu.x86.harness", "cpu.x86", "memory", "util", "hw.core", "hw.misc")),
            Map.entry("hw.core", Set.of("hw.core", "qom", "memory", "util")),
            Map.entry("hw.misc", Set.of("hw.misc", "hw.core", "memory")),
            Map.entry("hw.nvram", Set.of("hw.nvram", "hw.core", "memory")),
            Map.entry("cpu.x86.singlestep", Set.of("cpu.x86.singlestep", "cpu.x86", "memory", "util")),
            Map.entry("config", Set.of("config", "qom", "util")),
            Map.entry("qmp", Set.of("qmp", "vm", "qom", "machine", "util")),
            Map.entry("vm", Set.of("vm", "config", "machine", "qom", "hw", "hw.core", "hw.isa", "hw.pci", "memory", "util", "cpu.x86",
                    "hw.nvram", "hw.intc", "hw.timer", "hw.rtc", "hw.input", "hw.dma", "hw.serial", "hw.misc", "hw.acpi", "vm.boot")),
            Map.entry("vm.boot", Set.of("vm.boot", "vm", "hw.nvram", "machine", "memory")));

    private static final Pattern REF = Pattern.compile("\\bdev\\.machina\\.([a-z0-9]+(?:\\.[a-z0-9]+)*)\\.[A-Z]");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"hw.pci", "hw.acpi", "memory", "cpu.x86", "cpu.x86.harness", "cpu.x86.singlestep", "config", "hw.core", "hw.misc", "hw.nvram", "vm", "vm.boot", "qmp"})
    void usesOnlyThePackagesItMay(String pkg) throws IOException {
        Path dir = Path.of("src/main/java/dev/machina", pkg.replace('.', '/'));
        Set<String> bad = new TreeSet<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".java")).toList();
        }
        for (Path f : files) {
            Matcher m = REF.matcher(Files.readString(f));
            while (m.find()) {
                if (!ALLOWED.get(pkg).contains(m.group(1))) {
                    bad.add(f.getFileName() + " -> dev.machina." + m.group(1));
                }
            }
        }
        assertEquals(Set.of(), bad, "dev.machina." + pkg + " may use only " + ALLOWED.get(pkg));
    }
}
