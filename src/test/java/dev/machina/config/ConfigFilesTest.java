package dev.machina.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFilesTest {
    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void replacesAFileWholeAndLeavesNoTemporaryFile() throws IOException {
        Path f = dir.resolve("vm.cfg");
        Files.writeString(f, "old, longer than the new text\n");
        ConfigFiles.writeAtomically(f, "new\n");
        assertEquals("new\n", Files.readString(f));
        assertEquals(List.of("vm.cfg"), names());
    }

    @Test
    void aSymlinkStaysALinkAndItsTargetIsReplaced() throws IOException {
        Path real = dir.resolve("real.cfg");
        Files.writeString(real, "old\n");
        Path link = Files.createSymbolicLink(dir.resolve("link.cfg"), real);
        ConfigFiles.writeAtomically(link, "new\n");
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("new\n", Files.readString(real));
    }

    @Test
    void aPipeIsWrittenNotReplaced() throws Exception {
        Path fifo = dir.resolve("pipe");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor(), "mkfifo (coreutils) makes a FIFO");
        CompletableFuture<String> reader = CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readString(fifo);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        ConfigFiles.writeAtomically(fifo, "through the pipe\n");
        assertEquals("through the pipe\n", reader.get(10, TimeUnit.SECONDS));
        assertFalse(Files.isRegularFile(fifo), "still a FIFO, not a file renamed over it");
    }

    @Test
    void aMissingDirectoryIsAUserError() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigFiles.writeAtomically(dir.resolve("no/vm.cfg"), "x"));
        assertTrue(e.getMessage().endsWith("cannot write: the directory does not exist"), e.getMessage());
    }
}
