package dev.machina.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/config.md's option table names every option and the group it writes. */
class DocsTest {
    @Test
    void theOptionTableHasEveryOptionWithItsGroup() throws IOException {
        String doc = Files.readString(Path.of("docs/config.md"));
        for (CliOption o : CliOptions.all()) {
            if (o.syntax() == CliOption.Syntax.INFO) {
                continue;
            }
            String row = "| `" + o.name() + "` | ";
            assertTrue(doc.contains(row), "docs/config.md has no row for " + o.name());
            if (o.group() != null) {
                String line = doc.substring(doc.indexOf(row), doc.indexOf('\n', doc.indexOf(row)));
                assertTrue(line.contains("`[" + o.group() + "]`"), o.name() + " writes [" + o.group() + "]: " + line);
            }
        }
    }
}
