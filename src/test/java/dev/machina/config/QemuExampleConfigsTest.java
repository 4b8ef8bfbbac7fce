package dev.machina.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * QEMU's own x86 example configs (QEMU docs/config/*.cfg as Debian's qemu-system-data 7.2 installs them
 * under /usr/share/doc/qemu-system-data/config/; the mach-virt ones are Arm and left out), in
 * {@code tests/qemu72/example-configs/}: each is accepted in strict and compat mode, and what Machina
 * writes from it reads back, converts and writes again byte-identically (the checks of
 * {@link LibvirtCorpusTest}). QEMU 7.2 loading what Machina writes was checked with
 * {@code tools/qemu-reads-config} (see tests/qemu72/example-configs/README.md).
 */
class QemuExampleConfigsTest {
    @org.junit.jupiter.api.io.TempDir
    static Path tmp;

    @TestFactory
    Stream<DynamicTest> everyExampleConfigIsAcceptedAndRoundTrips() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("tests/qemu72/example-configs"))) {
            List<Path> files = s.filter(p -> p.toString().endsWith(".cfg")).sorted().toList();
            org.junit.jupiter.api.Assertions.assertEquals(4, files.size(), "the four x86 example configs of QEMU 7.2");
            return files.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(),
                    () -> LibvirtCorpusTest.roundTrips(tmp, p.getFileName().toString().replace(".cfg", ""), List.of("-readconfig", p.toString()))));
        }
    }
}
