package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The reference {@code machina docs} writes, opened by a real browser: headless Chromium (Debian's
 * {@code chromium}; {@code .ci/run} installs it) loads the index, a machine page and a change page
 * from {@code file://}, with no server and no network. The search finds pc-q35-7.2, the graph is on
 * the page, and the browser reports no console error, exception or failed load on any of them.
 * Screenshots are left in {@code target/docs-browser/} to look at (light and dark).
 */
class DocsBrowserTest {
    private static final Path OUT = Path.of("target", "docs-browser").toAbsolutePath();

    private static Path chromium() {
        Path c = Cdp.find();
        if (c == null && System.getenv("CI") != null) {
            throw new AssertionError("chromium is not installed on CI; .ci/run must install Debian's chromium");
        }
        Assumptions.assumeTrue(c != null, "chromium is not installed (Debian: apt-get install chromium; .ci/run installs it)");
        return c;
    }

    @Test
    void theDocsWorkInABrowserFromFileUrls() throws IOException {
        Path chromium = chromium();
        Path site = OUT.resolve("site");
        CliRunner r = CliRunner.run("docs", "-o", site.toString());
        assertEquals(0, r.code(), r.err());
        Path profile = Files.createTempDirectory("machina-chromium-");
        List<String> failures = new ArrayList<>();
        try (Cdp b = Cdp.start(chromium, profile, 1280, 900)) {
            b.navigate(site.resolve("index.html").toUri().toString());
            JsonNode hits = b.evaluate("(() => { const q = document.getElementById('q'); q.value = 'pc-q35-7.2';"
                    + " q.dispatchEvent(new Event('input')); return Array.from(document.querySelectorAll('#results a'),"
                    + " a => a.getAttribute('href')); })()");
            List<String> found = new ArrayList<>();
            hits.forEach(h -> found.add(h.asText()));
            assertTrue(!found.isEmpty() && found.get(0).equals("machines/pc-q35-7.2.html"), "the search finds pc-q35-7.2 first: " + found);
            Files.write(OUT.resolve("index.png"), b.screenshot());

            b.navigate(site.resolve("index.html").toUri() + "?q=i440fx");
            assertTrue(b.evaluate("document.querySelectorAll('#results a').length").asInt() > 10,
                    "a query from another page's search box is run");

            b.navigate(site.resolve(DocsSite.machinePath("pc-q35-7.2")).toUri().toString());
            assertEquals("pc-q35-7.2", b.evaluate("document.querySelector('h1').textContent").asText());
            assertTrue(b.evaluate("document.querySelectorAll('.graph-box svg g.node').length").asInt() > 20, "the graph is drawn");
            assertTrue(b.evaluate("document.documentElement.scrollWidth <= window.innerWidth").asBoolean(),
                    "the machine page fits the window's width (tables wrap or scroll in their own box)");
            Files.write(OUT.resolve("machine-pc-q35-7.2.png"), b.screenshot());
            b.evaluate("document.getElementById('graph').scrollIntoView()");
            Files.write(OUT.resolve("machine-pc-q35-7.2-graph.png"), b.screenshot());

            b.navigate(site.resolve(DocsSite.diffPath("pc-i440fx-7.1", "pc-i440fx-7.2")).toUri().toString());
            assertTrue(b.evaluate("document.querySelectorAll('table.diff tbody tr').length").asInt() > 0, "the change has rows");
            Files.write(OUT.resolve("diff-pc-i440fx-7.1-to-7.2.png"), b.screenshot());

            b.call("Emulation.setEmulatedMedia", Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
            b.navigate(site.resolve(DocsSite.machinePath("pc-q35-7.2")).toUri().toString());
            String bg = b.evaluate("getComputedStyle(document.documentElement).backgroundColor").asText();
            assertEquals("rgb(13, 17, 23)", bg, "dark mode follows the system's preference");
            Files.write(OUT.resolve("machine-pc-q35-7.2-dark.png"), b.screenshot());

            b.problems().forEach(p -> failures.add(p.kind() + ": " + p.text()));
        } finally {
            deleteTree(profile);
        }
        assertEquals(List.of(), failures, "the browser reported problems");
    }

    private static void deleteTree(Path p) throws IOException {
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }
}
