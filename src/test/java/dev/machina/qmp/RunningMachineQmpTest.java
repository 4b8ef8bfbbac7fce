package dev.machina.qmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.machina.cli.CliRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * QMP on a running machine: {@code machina run -M pc -nodefaults -nographic -S -serial file:serial.out
 * -qmp unix:...} with SeaBIOS, driven through the messages QEMU 7.2 was sent on the same command line
 * ({@code tests/qmp/qemu72-pc-running.jsonl}, recorded by {@code tools/qmp/record.py} with
 * {@code tools/qmp/running-pc.json}): {@code cont} starts SeaBIOS, {@code stop}/{@code cont} stop and
 * resume it, {@code system_reset} boots it again (its banner appears once per boot), {@code quit} ends
 * the run with status 0. The events arrive in QEMU's order with QEMU's data, replies have QEMU's shape
 * (status replies and the human monitor's short answers its exact text).
 */
class RunningMachineQmpTest {
    private static final Path RECORDING = Path.of("tests/qmp/qemu72-pc-running.jsonl");

    @TempDir
    Path dir;

    /** One line a QEMU recording or our session produced, for the order of events and replies. */
    private static String marker(JsonNode m) {
        if (m.has("event")) {
            return m.get("event").asText() + (m.has("data") ? m.get("data").toString() : "");
        }
        return "reply " + m.path("id");
    }

    /** {@code info registers}' layout: every value masked, the labels and line structure kept. */
    static String layout(String text) {
        return text.replaceAll("\\[[-DOSZAPC]{7}\\]", "[flags]").replaceAll("[0-9a-f]", "h");
    }

    @Test
    void aSeabiosMachineAnswersAsQemuDidWithTheSameEvents() throws Exception {
        assumeTrue(Files.isRegularFile(Path.of("/usr/share/seabios/bios-256k.bin")),
                "skipped: /usr/share/seabios is missing; install Debian's seabios package (apt-get install seabios)");
        QmpClient.Recording recording = QmpClient.Recording.read(RECORDING);
        List<JsonNode> rec = recording.lines();
        List<String> args = recording.args();
        Path serial = dir.resolve("serial.out");
        args.set(args.indexOf("file:serial.out"), "file:" + serial);
        Path sock = dir.resolve("qmp.sock");
        args.addAll(List.of("-qmp", "unix:" + sock + ",server=on,wait=off"));
        CompletableFuture<CliRunner> run = CompletableFuture.supplyAsync(() -> CliRunner.run(args.toArray(String[]::new)));

        List<String> qemuOrder = new ArrayList<>();
        List<String> ourOrder = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String registers = null;
        String qemuRegisters = null;
        try (QmpClient c = QmpClient.connect(sock, run)) {
            JsonNode sent = null;
            for (JsonNode r : rec.subList(2, rec.size())) {
                if (r.has("recv")) {
                    JsonNode q = r.get("recv");
                    qemuOrder.add(marker(q));
                    if (!q.has("event")) {
                        // the reply to `sent`: ours was read when it was sent
                        JsonNode ours = c.lastReply;
                        String cmd = sent.path("execute").asText();
                        String line = sent.at("/arguments/command-line").asText();
                        if (q.has("error") || cmd.equals("query-status") || (cmd.equals("human-monitor-command") && !line.equals("info registers"))) {
                            if (!q.equals(ours)) {
                                problems.add(sent + ": ours " + ours + ", QEMU's " + q);
                            }
                        } else if (line.equals("info registers")) {
                            registers = ours.path("return").asText();
                            qemuRegisters = q.path("return").asText();
                        } else {
                            problems.addAll(Shapes.problems(ours, q, sent.toString()));
                        }
                    }
                } else if (r.has("send")) {
                    sent = QmpClient.JSON.readTree(r.get("send").asText());
                    int before = c.events.size();
                    c.lastReply = c.send(r.get("send").asText());
                    c.events.subList(before, c.events.size()).forEach(e -> ourOrder.add(marker(e)));
                    ourOrder.add(marker(c.lastReply));
                } else if (r.has("awaited")) {
                    JsonNode a = r.get("awaited");
                    awaitText(serial, a.get("text").asText(), a.get("count").asInt(), run);
                }
            }
        }
        CliRunner result = run.join();
        assertEquals(0, result.code(), result.err());
        assertEquals(List.of(), problems);
        assertEquals(oneGuestReset(qemuOrder), ourOrder, "events and replies in order");
        // SeaBIOS idles at the same HLT with the same registers as on QEMU; only the x87 control and tag words
        // differ: the CPU keeps the SDM's power-up values (FCW 0040H, all tags 'zero', Vol. 1 Table 9-1 / Vol. 3A
        // Table 10-1) where QEMU 7.2 resets them as FNINIT would (037FH, all empty); SeaBIOS never touches the FPU
        assertEquals(layout(qemuRegisters), layout(registers));
        assertEquals(withoutX87ControlLine(qemuRegisters), withoutX87ControlLine(registers));
        assertTrue(registers.contains("\r\nCS =f000 000f0000 0000ffff 00009b00\r\n"), registers);
        String out = Files.readString(serial, StandardCharsets.ISO_8859_1);
        assertEquals(3, out.split("SeaBIOS \\(version", -1).length - 1, "one banner per boot (power-on, system_reset, HMP system_reset)");
    }

    /**
     * Bad clients against a running SeaBIOS guest: malformed JSON, a 10 MB message, an unknown command, a
     * wrongly typed argument, a hundred clients coming and going (a third leaving mid-message), one that
     * sends half a message and goes. Each gets QEMU's error or is dropped; a client connected all along is
     * answered throughout, and the guest runs on: it still boots again on system_reset (its banner a second
     * time), and quit ends the run with status 0.
     */
    @Test
    void badClientsLeaveARunningGuestAndOtherClientsAlone() throws Exception {
        assumeTrue(Files.isRegularFile(Path.of("/usr/share/seabios/bios-256k.bin")),
                "skipped: /usr/share/seabios is missing; install Debian's seabios package (apt-get install seabios)");
        Path serial = dir.resolve("serial.out");
        Path sock = dir.resolve("qmp.sock");
        String[] args = {"-M", "pc", "-nodefaults", "-nographic", "-serial", "file:" + serial,
            "-qmp", "unix:" + sock + ",server=on,wait=off"};
        CompletableFuture<CliRunner> run = CompletableFuture.supplyAsync(() -> CliRunner.run(args));
        try (QmpClient steady = QmpClient.connect(sock, run).negotiate()) {
            awaitText(serial, "SeaBIOS (version", 1, run);
            try (QmpClient bad = new QmpClient(sock).negotiate()) {
                assertEquals("GenericError: JSON parse error, expecting value", desc(bad.send("{\"execute\": }")));
                assertEquals("GenericError: Parameter 'junk' is unexpected",
                        desc(bad.execute("query-status", "{\"junk\": \"" + "x".repeat(10 << 20) + "\"}")));
                assertEquals("CommandNotFound: The command no-such has not been found", desc(bad.execute("no-such")));
                assertEquals("GenericError: Invalid parameter type for 'path', expected: string",
                        desc(bad.execute("qom-get", "{\"path\": 1, \"property\": \"type\"}")));
            }
            for (int round = 0; round < 100; round++) {
                try (QmpClient c = new QmpClient(sock)) {
                    if (round % 2 == 0) {
                        c.negotiate();
                    }
                    if (round % 3 == 0) {
                        c.sendRaw("{\"execute\": \"query-sta"); // half a message, then gone
                    }
                }
            }
            assertEquals("running", steady.execute("query-status").at("/return/status").asText());
            assertTrue(steady.execute("system_reset").has("return"));
            awaitText(serial, "SeaBIOS (version", 2, run);
            assertTrue(steady.execute("quit").has("return"));
        }
        CliRunner result = run.join();
        assertEquals(0, result.code(), result.err());
    }

    private static String desc(JsonNode reply) {
        return reply.at("/error/class").asText() + ": " + reply.at("/error/desc").asText();
    }

    private static String withoutX87ControlLine(String regs) {
        return regs.replaceAll("FCW=[0-9a-f]{4} (FSW=[0-9a-f]{4} \\[ST=\\d\\]) FTW=[0-9a-f]{2}", "FCW=.... $1 FTW=..");
    }

    private static final String GUEST_RESET = "RESET{\"guest\":true,\"reason\":\"guest-reset\"}";

    /**
     * QEMU's order with each run of guest resets made one. After a system_reset SeaBIOS finds itself
     * resumed and reboots through the FADT's reset register (0xCF9); QEMU 7.2's vCPU runs on past that
     * write into the i8042 pulse that follows (SeaBIOS's tryReboot) before its main loop has stopped it,
     * so QEMU resets twice (its debug log shows one boot). Machina's CPU stops at the end of the
     * block that wrote 0xCF9, as the chipset resets at once, and resets once.
     */
    static List<String> oneGuestReset(List<String> order) {
        List<String> out = new ArrayList<>();
        for (String m : order) {
            if (!(m.equals(GUEST_RESET) && !out.isEmpty() && out.get(out.size() - 1).equals(GUEST_RESET))) {
                out.add(m);
            }
        }
        return out;
    }

    /** Waits until the serial output holds {@code text} {@code count} times (as long as the run lasts). */
    private static void awaitText(Path file, String text, int count, CompletableFuture<CliRunner> run) throws Exception {
        while (true) {
            String s = Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
            if (s.split(java.util.regex.Pattern.quote(text), -1).length - 1 >= count) {
                return;
            }
            if (run.isDone()) {
                throw new AssertionError("the run ended before the guest printed '" + text + "' " + count + " times: " + run.join().err()
                        + "\n" + s);
            }
            Thread.sleep(50); // the guest is still booting
        }
    }
}
