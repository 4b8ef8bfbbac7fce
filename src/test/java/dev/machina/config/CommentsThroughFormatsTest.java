package dev.machina.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.machina.cli.CliRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cfg file's comments and blank lines survive YAML and HOCON (issue 11 item 6): cfg → yaml → cfg and
 * cfg → hocon → cfg give the file back byte for byte, for a file with a comment in every place the cfg
 * format has one and for QEMU's own example configs (whose comments are most of them); JSON, which
 * has no comments, says how many it leaves out.
 */
class CommentsThroughFormatsTest {
    @TempDir
    static Path dir;

    /** Comments above the first section, between sections, above entries, after headers and values, at the end. */
    static final String EVERY_PLACE = """
            # a file comment

            [machine]   # after a header
            # above an entry
              type = "q35"\t# after a value
            # two lines
            #   above a section

            [device "s0"]
              driver = "isa-serial"

            [machina-nodefaults] # an empty section

            [name]
              guest = "\uD83D\uDE00#" # a value with a character outside the BMP and a '#'

            [object "m0"]
              qom-type = "memory-backend-ram"
              size = "128M"

            [numa]
              type = "node"
              memdev = "m0"
            # between values of a repeated key
              cpus = "0-1"
              cpus = "3"  # the second value
            # at the end
            """;

    private static String through(Path cfg, ConfigFormat via) {
        VmConfig c = ConfigFiles.read(cfg.toString(), ConfigFormat.CFG, ReadMode.STRICT).orThrow();
        Path mid = dir.resolve(cfg.getFileName() + "." + via.id());
        ConfigFiles.writeAtomically(mid.toString(), ConfigFiles.render(c, via));
        VmConfig back = ConfigFiles.read(mid.toString(), via, ReadMode.STRICT).orThrow();
        return ConfigFiles.render(back, ConfigFormat.CFG);
    }

    @TestFactory
    Stream<DynamicTest> cfgThroughYamlAndHoconIsTheSameFile() throws Exception {
        Path every = dir.resolve("every.cfg");
        Files.writeString(every, EVERY_PLACE);
        List<Path> files = new java.util.ArrayList<>(List.of(every));
        try (Stream<Path> s = Files.list(Path.of("tests/qemu72/example-configs"))) {
            s.filter(p -> p.toString().endsWith(".cfg")).sorted().forEach(files::add);
        }
        assertTrue(files.size() >= 5, files.toString());
        return files.stream().flatMap(f -> Stream.of(ConfigFormat.YAML, ConfigFormat.HOCON).map(via ->
                DynamicTest.dynamicTest(f.getFileName() + " via " + via.id(), () -> assertEquals(Files.readString(f), through(f, via)))));
    }

    @Test
    void yamlAndHoconHoldTheCommentsWhereTheyWere() throws Exception {
        Path every = dir.resolve("where.cfg");
        Files.writeString(every, EVERY_PLACE);
        VmConfig c = ConfigFiles.read(every.toString(), ConfigFormat.CFG, ReadMode.STRICT).orThrow();
        String yaml = ConfigFiles.render(c, ConfigFormat.YAML);
        assertTrue(yaml.contains("- machine:   # after a header\n    # above an entry\n    type: q35\t# after a value\n"), yaml);
        String hocon = ConfigFiles.render(c, ConfigFormat.HOCON);
        assertTrue(hocon.contains("    machine {   # after a header\n      # above an entry\n      type = \"q35\"\t# after a value\n"), hocon);
    }

    @Test
    void aCommentFreeYamlStaysCanonical() throws Exception {
        // blank lines alone are not layout: a hand-written YAML gives the canonical cfg
        Path y = dir.resolve("plain.yaml");
        Files.writeString(y, "sections:\n\n- machine:\n    type: pc\n\n\n- device:\n    id: s0\n    driver: isa-serial\n");
        VmConfig c = ConfigFiles.read(y.toString(), ConfigFormat.YAML, ReadMode.STRICT).orThrow();
        assertEquals("[machine]\n  type = \"pc\"\n\n[device \"s0\"]\n  driver = \"isa-serial\"\n", ConfigFiles.render(c, ConfigFormat.CFG));
    }

    @Test
    void jsonSaysHowManyCommentsItLeavesOut() throws Exception {
        Path every = dir.resolve("json.cfg");
        Files.writeString(every, EVERY_PLACE);
        CliRunner r = CliRunner.run("config", "convert", every.toString(), "--to", "json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().endsWith("\nmachina: warning: " + every + ": 11 comments are left out: JSON has no comments (YAML and HOCON keep them)\n"),
                r.err());
    }
}
