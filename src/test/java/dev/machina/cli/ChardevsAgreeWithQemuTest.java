package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code query-chardev} and {@code info chardev} list every character device QEMU 7.2 lists on the same
 * command line: the {@code -chardev}s (mux and its base), the ones {@code -serial}, {@code -parallel} and
 * {@code -debugcon} make, the monitors', the default ports without {@code -nodefaults}, with QEMU's
 * labels, filenames (a listening socket without a client is {@code disconnected:}) and whether a frontend
 * uses each. QEMU's answers are recorded in {@code tests/qmp/qemu72-chardevs.jsonl} by
 * {@code tools/qmp/record-chardevs.py} (cases in {@code tools/qmp/chardevs.json}); QEMU lists them in hash
 * order, so they compare as sets.
 */
class ChardevsAgreeWithQemuTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path RECORDED = Path.of("tests/qmp/qemu72-chardevs.jsonl");

    @TempDir
    Path dir;

    static Stream<JsonNode> cases() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(RECORDED)) {
            out.add(JSON.readTree(line));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void listsTheChardevsQemuListsOnTheSameCommandLine(JsonNode recorded) throws Exception {
        List<String> args = new ArrayList<>();
        recorded.get("args").forEach(a -> args.add(a.asText().replace("{dir}", dir.toString())));
        assumeTrue(args.contains("none") || Files.isRegularFile(Path.of("/usr/share/seabios/bios-256k.bin")),
                "skipped: /usr/share/seabios is missing; install Debian's seabios package (apt-get install seabios)");
        Path sock = dir.resolve("qmp.sock");
        args.addAll(List.of("-qmp", "unix:" + sock + ",server=on,wait=off"));
        CompletableFuture<CliRunner> run = CompletableFuture.supplyAsync(() -> CliRunner.run(args.toArray(String[]::new)));
        JsonNode chardevs;
        JsonNode info;
        try (SocketChannel c = connect(sock, run)) {
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8));
            OutputStream out = Channels.newOutputStream(c);
            reply(in); // greeting
            send(out, in, "{\"execute\":\"qmp_capabilities\"}");
            chardevs = send(out, in, "{\"execute\":\"query-chardev\"}").get("return");
            JsonNode hmp = send(out, in, "{\"execute\":\"human-monitor-command\",\"arguments\":{\"command-line\":\"info chardev\"}}");
            info = hmp.has("return") ? hmp.get("return") : hmp.get("error");
            send(out, in, "{\"execute\":\"quit\"}");
        }
        CliRunner r = run.join();
        assertEquals(0, r.code(), r.err());

        assertEquals(set(recorded.get("query-chardev"), null), set(chardevs, dir.toString()), "query-chardev");
        JsonNode qemuInfo = recorded.get("info chardev");
        if (qemuInfo.isTextual()) {
            assertEquals(new TreeSet<>(List.of(qemuInfo.asText().split("\r\n"))),
                    new TreeSet<>(List.of(info.asText().replace(dir.toString(), "{dir}").split("\r\n"))), "info chardev");
        } else {
            assertEquals(qemuInfo, info, "human-monitor-command in preconfig");
        }
    }

    private static Set<String> set(JsonNode list, String dir) {
        Set<String> out = new TreeSet<>();
        list.forEach(c -> out.add(c.get("label").asText() + ": filename=" + (dir == null ? c.get("filename").asText()
                : c.get("filename").asText().replace(dir, "{dir}")) + " frontend-open=" + c.get("frontend-open").asBoolean()));
        return out;
    }

    private static SocketChannel connect(Path sock, CompletableFuture<CliRunner> run) throws Exception {
        while (true) {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                ch.connect(UnixDomainSocketAddress.of(sock));
                return ch;
            } catch (java.net.SocketException e) {
                ch.close();
                assertTrue(!run.isDone(), () -> "machina ended before listening: " + run.join());
                Thread.sleep(20); // still starting
            }
        }
    }

    private static JsonNode send(OutputStream out, BufferedReader in, String message) throws Exception {
        out.write((message + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return reply(in);
    }

    private static JsonNode reply(BufferedReader in) throws Exception {
        while (true) {
            String line = in.readLine();
            assertTrue(line != null, "the monitor closed the connection");
            JsonNode j = JSON.readTree(line);
            if (!j.has("event")) {
                return j;
            }
        }
    }
}
