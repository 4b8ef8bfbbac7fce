package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code machine graph}: the SVG Graphviz draws has a node for every device {@code machine show}
 * lists and an edge for every device on a bus (and every composition), checked by reading the SVG
 * (node groups {@code id="node-ID"}, edge titles {@code FROM->TO}); the diff of two machine types
 * marks what was added and removed.
 */
class MachineGraphTest {
    private static final Context CONTEXT = new Context();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Graphviz is what draws SVG: .ci/run installs it; a developer without it is told, not failed. */
    private static void needDot() {
        boolean have;
        try {
            have = new ProcessBuilder(GraphRender.dotCommand(), "-V").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            have = false;
        }
        if (!have && System.getenv("CI") != null) {
            throw new AssertionError("Graphviz's dot is not installed on CI; .ci/run must install graphviz");
        }
        Assumptions.assumeTrue(have, "Graphviz's dot is not installed (apt-get install graphviz; .ci/run installs it)");
    }

    private static String unescape(String s) {
        return s.replace("&#45;", "-").replace("&gt;", ">").replace("&lt;", "<").replace("&amp;", "&").replace("&quot;", "\"")
                .replace("&#39;", "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"pc-i440fx-7.2", "pc-q35-7.2"})
    void theSvgHasEveryDeviceOfMachineShowAsANodeAndEveryBusEdge(String machine) throws IOException {
        needDot();
        Path svg = dir.resolve(machine + ".svg");
        CliRunner r = CliRunner.run(CONTEXT, "machine", "graph", machine, "-o", svg.toString());
        assertEquals(0, r.code(), r.err());
        String text = Files.readString(svg, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("<?xml") && text.contains("<svg"), text.substring(0, Math.min(200, text.length())));

        Set<String> nodes = new TreeSet<>();
        Matcher n = Pattern.compile("<g id=\"node&#45;([^\"]+)\" class=\"node\"").matcher(text);
        while (n.find()) {
            nodes.add(unescape(n.group(1)));
        }
        Set<String> edges = new TreeSet<>();
        Matcher e = Pattern.compile("<g id=\"edge\\d+\" class=\"edge edge&#45;(\\w+)\">\\s*<title>([^<]+)</title>").matcher(text);
        while (e.find()) {
            edges.add(e.group(1) + " " + unescape(e.group(2)));
        }

        JsonNode show = JSON.readTree(CliRunner.run(CONTEXT, "machine", "show", machine, "--format", "json").out());
        List<String> missingNodes = new ArrayList<>();
        List<String> missingEdges = new ArrayList<>();
        int busEdges = 0;
        for (JsonNode d : show.get("devices")) {
            String id = d.get("id").asText();
            if (!nodes.contains(id)) {
                missingNodes.add(id);
            }
            if (!d.get("bus").isNull()) {
                busEdges++;
                if (!edges.contains("bus " + d.get("bus").asText() + "->" + id)) {
                    missingEdges.add(d.get("bus").asText() + " -> " + id);
                }
            } else if (!d.get("parent").isNull() && !edges.contains("child " + d.get("parent").asText() + "->" + id)) {
                missingEdges.add("child " + d.get("parent").asText() + " -> " + id);
            }
        }
        assertTrue(show.get("devices").size() > 20, "a PC has more than 20 devices");
        assertTrue(busEdges > 10, "a PC has more than 10 devices on buses");
        assertEquals(List.of(), missingNodes, "devices of machine show without a node");
        assertEquals(List.of(), missingEdges, "bus and composition edges missing");
    }

    @Test
    void theDiffOfTwoMachineTypesMarksWhatChanged() throws IOException {
        JsonNode g = JSON.readTree(graphJson("pc-i440fx-7.2", "pc-q35-7.2"));
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (JsonNode n : g.get("nodes")) {
            if (n.get("state").asText().equals("added")) {
                added.add(n.get("id").asText());
            } else if (n.get("state").asText().equals("removed")) {
                removed.add(n.get("id").asText());
            }
        }
        assertTrue(added.contains("ICH9-LPC"), added.toString());
        assertTrue(removed.contains("PIIX3"), removed.toString());
        String dot = CliRunner.run(CONTEXT, "machine", "graph", "pc-i440fx-7.2", "pc-q35-7.2", "--format", "dot").out();
        assertTrue(dot.contains("\"ICH9-LPC\" [id=\"node-ICH9-LPC\"") && dot.contains("color=\"#1a7f37\""), "added is green");
        assertTrue(dot.contains("color=\"#cf222e\""), "removed is red");
    }

    private String graphJson(String... machines) throws IOException {
        Path out = dir.resolve("g.json");
        List<String> args = new ArrayList<>(List.of("machine", "graph"));
        args.addAll(List.of(machines));
        args.addAll(List.of("-o", out.toString()));
        CliRunner r = CliRunner.run(CONTEXT, args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        return Files.readString(out);
    }

    @Test
    void aMachineTypeWithoutADeviceGraphIsAUserError() {
        CliRunner r = CliRunner.run(CONTEXT, "machine", "graph", "xenpvh", "--format", "dot");
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("machina: machine type 'xenpvh' has no device graph in the data"), r.err());
    }

    @Test
    void aMissingDotIsAClearErrorForSvg() {
        // a command that cannot run stands in for a machine without Graphviz
        UserError e = org.junit.jupiter.api.Assertions.assertThrows(UserError.class,
                () -> GraphRender.render("digraph g {}", "svg", "/nonexistent/dot"));
        assertTrue(e.getMessage().contains("install Graphviz (Debian: apt-get install graphviz)"), e.getMessage());
    }
}
