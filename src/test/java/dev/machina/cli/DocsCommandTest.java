package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code machina docs}: the reference it writes has a page for every machine type, device type and
 * compat set, every internal link (href and src, with its fragment) resolves to a file that exists
 * and an element with that id, nothing points outside the directory or at the network, and a
 * machine page has its graph inline with a node for every device {@code machine show} lists.
 */
class DocsCommandTest {
    private static final Context CONTEXT = new Context();
    private static final Pattern LINK = Pattern.compile("\\s(?:xlink:href|href|src|action)=\"([^\"]*)\"");
    private static final Pattern ID = Pattern.compile("\\sid=\"([^\"]*)\"");

    @TempDir
    static Path dir;

    static Path site;
    static CliRunner run;

    @BeforeAll
    static void generate() {
        site = dir.resolve("site");
        run = CliRunner.run(CONTEXT, "docs", "-o", site.toString());
    }

    private static List<Path> pages() throws IOException {
        try (Stream<Path> s = Files.walk(site)) {
            return s.filter(p -> p.toString().endsWith(".html")).sorted().toList();
        }
    }

    @Test
    void itWritesAPageForEveryMachineTypeDeviceTypeAndCompatSet() throws IOException {
        assertEquals(0, run.code(), run.err());
        assertTrue(run.err().startsWith("machina: wrote "), run.err());
        assertEquals("", run.out());
        for (String line : CliRunner.run(CONTEXT, "machine", "list", "--all").out().split("\n")) {
            String name = line.split("\\s+")[0];
            if (!name.equals("NAME") && !name.isEmpty()) {
                assertTrue(Files.isRegularFile(site.resolve(DocsSite.machinePath(name))), "page of machine type " + name);
            }
        }
        JsonNode types = new ObjectMapper().readTree(CliRunner.run(CONTEXT, "device", "list", "--format", "json").out());
        for (JsonNode t : types) {
            assertTrue(Files.isRegularFile(site.resolve(DocsSite.typePath(t.get("name").asText()))), t.get("name").asText());
        }
        for (String set : CONTEXT.catalog().compatSets().keySet()) {
            assertTrue(Files.isRegularFile(site.resolve(DocsSite.compatPath(set))), "page of compat set " + set);
        }
        assertTrue(Files.isRegularFile(site.resolve(DocsSite.diffPath("pc-q35-7.1", "pc-q35-7.2"))));
    }

    @Test
    void everyInternalLinkResolves() throws IOException {
        assertEquals(0, run.code(), run.err());
        Map<Path, Set<String>> ids = new HashMap<>();
        List<String> broken = new ArrayList<>();
        int links = 0;
        for (Path page : pages()) {
            String html = Files.readString(page, StandardCharsets.UTF_8);
            Matcher m = LINK.matcher(html);
            while (m.find()) {
                String href = m.group(1).replace("&amp;", "&");
                links++;
                if (href.startsWith("data:")) {
                    continue;
                }
                if (href.contains("://") || href.startsWith("//") || href.startsWith("mailto:")) {
                    broken.add(site.relativize(page) + ": leaves the reference: " + href);
                    continue;
                }
                String path = href;
                String fragment = null;
                int hash = path.indexOf('#');
                if (hash >= 0) {
                    fragment = path.substring(hash + 1);
                    path = path.substring(0, hash);
                }
                int query = path.indexOf('?');
                if (query >= 0) {
                    path = path.substring(0, query);
                }
                Path target = path.isEmpty() ? page : page.getParent().resolve(URLDecoder.decode(path, StandardCharsets.UTF_8))
                        .normalize();
                if (!target.startsWith(site) || !Files.isRegularFile(target)) {
                    broken.add(site.relativize(page) + ": " + href);
                    continue;
                }
                if (fragment != null && !fragment.isEmpty() && !idsOf(target, ids).contains(fragment)) {
                    broken.add(site.relativize(page) + ": " + href + " (no id '" + fragment + "')");
                }
            }
        }
        assertTrue(links > 10_000, "the pages link to each other: " + links + " links");
        assertEquals(List.of(), broken.subList(0, Math.min(broken.size(), 30)), broken.size() + " broken links");
    }

    private static Set<String> idsOf(Path page, Map<Path, Set<String>> cache) {
        return cache.computeIfAbsent(page, p -> {
            Set<String> out = new HashSet<>();
            try {
                Matcher m = ID.matcher(Files.readString(p, StandardCharsets.UTF_8));
                while (m.find()) {
                    out.add(m.group(1));
                }
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            return out;
        });
    }

    @Test
    void aMachinePageHasItsGraphInlineAndEveryDevice() throws IOException {
        assertEquals(0, run.code(), run.err());
        String html = Files.readString(site.resolve(DocsSite.machinePath("pc-q35-7.2")), StandardCharsets.UTF_8);
        JsonNode show = new ObjectMapper().readTree(CliRunner.run(CONTEXT, "machine", "show", "pc-q35-7.2", "--format", "json").out());
        boolean drawn = html.contains("<svg");
        for (JsonNode d : show.get("devices")) {
            String id = d.get("id").asText();
            assertTrue(html.contains("id=\"dev-" + Html.slug(id) + "\""), "the properties of " + id);
            if (drawn) {
                assertTrue(html.contains("id=\"node&#45;" + id.replace("-", "&#45;") + "\""), "graph node " + id);
            }
        }
        assertFalse(html.contains("<?xml"), "the SVG is inline, without its XML declaration");
        assertTrue(html.contains("id=\"changes\""), "what changed since pc-q35-7.1");
        String index = Files.readString(site.resolve("index.html"), StandardCharsets.UTF_8);
        assertTrue(index.contains("<script src=\"search.js\""), "the index searches");
        String search = Files.readString(site.resolve("search-index.js"), StandardCharsets.UTF_8);
        assertTrue(search.contains("\"machines/pc-q35-7.2.html\""), "the search index has pc-q35-7.2");
    }

    @Test
    void aSecondRunReplacesItsOwnOutputButNotOtherDirectories() throws IOException {
        assertEquals(0, run.code(), run.err());
        Path other = dir.resolve("other");
        Files.createDirectories(other);
        Files.writeString(other.resolve("keep.txt"), "mine");
        CliRunner r = CliRunner.run(CONTEXT, "docs", "-o", other.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("machina: -o " + other + ": the directory is not empty and was not written by"), r.err());
        Path file = dir.resolve("a-file");
        Files.writeString(file, "x");
        assertEquals(1, CliRunner.run(CONTEXT, "docs", "-o", file.toString()).code());
    }

    @Test
    void slugsAreSafeAndDistinct() {
        assertEquals("pc-q35-7.2", Html.slug("pc-q35-7.2"));
        assertFalse(Html.slug("PIIX3").equalsIgnoreCase(Html.slug("piix3")));
        assertEquals("smbus-eeprom~5b3~5d", Html.slug("smbus-eeprom[3]"));
        assertFalse(Html.slug("..").startsWith("."));
    }
}
