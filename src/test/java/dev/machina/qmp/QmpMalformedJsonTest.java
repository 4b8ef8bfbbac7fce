package dev.machina.qmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed QMP input gets QEMU 7.2's errors line for line: tests/qmp/qemu72-malformed-json.json holds what
 * qemu-system-x86_64 7.2.22 answered to 71 inputs (tools/qmp/record-json-cases.py: each sent as its bytes, a
 * newline and a sync command): stray bytes ("JSON parse error, stray '@'", one error per resynchronization, so
 * {@code \xFF\xFE} gets two and {@code {"a": @}} gets "stray '@'" then "expecting value" for the brace that
 * follows), the parser's messages (missing colon, separators, duplicate key, key not a string, invalid
 * keyword, premature numbers such as {@code 01} and {@code 1.}), strings (invalid escapes, invalid
 * {@code \\u} escapes and lone surrogates, invalid or overlong UTF-8, control characters, {@code \xC0\x80}
 * as U+0000), single quotes, and the numbers echoed in {@code id} as QEMU writes them (a 64-bit integer as
 * is, a larger one or a float in {@code %.17g}: {@code 1e+20}, {@code 0.10000000000000001}, {@code inf}).
 * After each the session goes on: the sync reply comes.
 */
class QmpMalformedJsonTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final QmpServers servers = new QmpServers();

    @Test
    void everyMalformedInputGetsQemusErrorsAndTheSessionGoesOn() throws Exception {
        JsonNode cases = QmpClient.JSON.readTree(Files.readString(Path.of("tests/qmp/qemu72-malformed-json.json")));
        Path sock = dir.resolve("qmp.sock");
        servers.serveNone(sock, QmpProbeTest.CONTEXT);
        List<String> problems = new ArrayList<>();
        try (QmpClient c = new QmpClient(sock)) {
            c.negotiate();
            for (JsonNode k : cases) {
                byte[] sent = k.get("send").asText().getBytes(StandardCharsets.ISO_8859_1);
                c.sendBytes(sent);
                c.sendBytes("\n{\"execute\":\"query-name\",\"id\":\"sync\"}\n".getBytes(StandardCharsets.US_ASCII));
                List<String> ours = new ArrayList<>();
                while (true) {
                    String l = c.line();
                    if (l.contains("\"sync\"")) {
                        break;
                    }
                    ours.add(l);
                }
                List<String> qemu = new ArrayList<>();
                k.get("replies").forEach(r -> qemu.add(r.asText()));
                if (!qemu.equals(ours)) {
                    problems.add(k.get("send").asText() + ": ours " + ours + ", QEMU's " + qemu);
                }
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(cases.size() >= 70, "cases: " + cases.size());
    }

    /** C's {@code %.17g}, as QEMU writes a double: the forms the recording has and the edges of the two notations. */
    @Test
    void doublesAreWrittenAsQemusPercent17g() {
        assertEquals("1500", QmpJson.g17(1500.0));
        assertEquals("1e+20", QmpJson.g17(1e20));
        assertEquals("0.10000000000000001", QmpJson.g17(0.1));
        assertEquals("-1.4999999999999999e-07", QmpJson.g17(-1.5e-7));
        assertEquals("12345678.9", QmpJson.g17(12345678.9));
        assertEquals("0.0001", QmpJson.g17(1e-4));
        assertEquals("1.0000000000000001e-05", QmpJson.g17(1e-5));
        assertEquals("10000000000000000", QmpJson.g17(1e16));
        assertEquals("1e+17", QmpJson.g17(1e17));
        assertEquals("-0", QmpJson.g17(-0.0));
        assertEquals("inf", QmpJson.g17(Double.POSITIVE_INFINITY));
    }
}
