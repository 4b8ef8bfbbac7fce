package dev.machina.qmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.machina.cli.CliRunner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -preconfig} (QEMU's {@code --preconfig}): the monitor is up before the machine is built
 * ({@code prelaunch}, no CPUs yet), the machine's command line grows over QMP ({@code x-machina-preconfig-add},
 * each addition checked as the command line would be), and {@code x-exit-preconfig} builds it. A
 * {@code -writeconfig FILE} given at the start is written at {@code x-exit-preconfig}, without
 * {@code -preconfig}: byte for byte what the same options given on the command line write.
 */
class PreconfigTest {
    @TempDir
    Path dir;

    @Test
    void aMachineAssembledOverQmpWritesTheConfigOfTheSameCommandLine() throws Exception {
        assumeTrue(Files.isRegularFile(Path.of("/usr/share/seabios/bios-256k.bin")),
                "skipped: /usr/share/seabios is missing; install Debian's seabios package (apt-get install seabios)");
        Path sock = dir.resolve("qmp.sock");
        Path written = dir.resolve("assembled.cfg");
        List<String> base = List.of("-machine", "pc", "-nodefaults", "-display", "none", "-S",
                "-qmp", "unix:" + sock + ",server=on,wait=off");
        List<String> args = new ArrayList<>(base);
        args.addAll(List.of("-preconfig", "-writeconfig", written.toString()));
        CompletableFuture<CliRunner> run = CompletableFuture.supplyAsync(() -> CliRunner.run(args.toArray(String[]::new)));
        try (QmpClient c = QmpClient.connect(sock, run).negotiate()) {
            assertEquals("prelaunch", c.execute("query-status").at("/return/status").asText());
            assertEquals(0, c.execute("query-cpus-fast").get("return").size(), "no CPU before the machine is built");
            assertTrue(c.execute("x-machina-preconfig-add", "{\"args\": [\"-m\", \"256\"]}").has("return"));
            JsonNode bad = c.execute("x-machina-preconfig-add", "{\"args\": [\"-device\", \"no-such-device\"]}");
            assertEquals("GenericError", bad.at("/error/class").asText(), bad.toString());
            assertTrue(bad.at("/error/desc").asText().startsWith("-device no-such-device: unknown device type"), bad.toString());
            assertTrue(c.execute("x-machina-preconfig-add", "{\"args\": [\"-smp\", \"2\", \"-device\", \"isa-serial,id=s0\"]}").has("return"));
            JsonNode badGlobal = c.execute("x-machina-preconfig-add", "{\"args\": [\"-global\", \"isa-serial.no-such-property=on\"]}");
            assertEquals("GenericError", badGlobal.at("/error/class").asText(), badGlobal.toString());
            assertTrue(c.execute("x-machina-preconfig-add", "{\"args\": [\"-global\", \"isa-serial.wakeup=on\"]}").has("return"));
            JsonNode stop = c.execute("stop");
            assertEquals("{\"class\":\"GenericError\",\"desc\":\"The command 'stop' is permitted only after machine initialization has completed\"}",
                    stop.get("error").toString());
            assertTrue(c.execute("x-exit-preconfig").has("return"));
            assertEquals("{\"class\":\"GenericError\",\"desc\":\"The command is permitted only before machine initialization\"}",
                    c.execute("x-exit-preconfig").get("error").toString());
            assertEquals("prelaunch", c.execute("query-status").at("/return/status").asText(), "-S: built, not started");
            assertEquals("/machine/unattached/device[0]", c.execute("query-cpus-fast").at("/return/0/qom-path").asText());
            // the -global added in preconfig is the built device's effective value (isa-serial's wakeup defaults to off)
            assertEquals("true", c.execute("qom-get", "{\"path\": \"/machine/peripheral/s0\", \"property\": \"wakeup\"}")
                    .get("return").toString());
            assertTrue(c.execute("quit").has("return"));
        }
        CliRunner result = run.join();
        assertEquals(0, result.code(), result.err());

        List<String> same = new ArrayList<>(base);
        same.addAll(List.of("-m", "256", "-smp", "2", "-device", "isa-serial,id=s0", "-global", "isa-serial.wakeup=on",
                "-writeconfig", "-"));
        CliRunner direct = CliRunner.run(same.toArray(String[]::new));
        assertEquals(0, direct.code(), direct.err());
        assertTrue(direct.out().contains("[device \"s0\"]"), direct.out());
        // the [global] section as QEMU 7.2's -readconfig takes it (QEMU 7.2 has no -writeconfig: removed in 6.0);
        // tools/qemu-reads-config shows QEMU 7.2 reading this file, and its qom-get of s0's wakeup is true
        assertTrue(direct.out().endsWith("[device \"s0\"]\n  driver = \"isa-serial\"\n\n"
                + "[global]\n  driver = \"isa-serial\"\n  property = \"wakeup\"\n  value = \"on\"\n"), direct.out());
        assertEquals(direct.out(), Files.readString(written, StandardCharsets.UTF_8));
    }

    @Test
    void quitInPreconfigEndsTheRunWithoutAMachine() throws Exception {
        Path sock = dir.resolve("qmp.sock");
        String[] args = {"-machine", "pc", "-nodefaults", "-display", "none", "-qmp", "unix:" + sock + ",server=on,wait=off", "-preconfig"};
        CompletableFuture<CliRunner> run = CompletableFuture.supplyAsync(() -> CliRunner.run(args));
        try (QmpClient c = QmpClient.connect(sock, run).negotiate()) {
            assertTrue(c.execute("quit").has("return"));
        }
        assertEquals(0, run.join().code());
    }
}
