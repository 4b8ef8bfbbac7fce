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
        assertEquals("through the pipe\n", reader.get()); // the writer has closed it, so the read ends; no time limit
        assertFalse(Files.isRegularFile(fifo), "still a FIFO, not a file renamed over it");
    }

    @Test
    void aLinkIntoDevIsWrittenThroughAndNeitherTheLinkNorTheDeviceIsReplaced() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("sink.cfg"), Path.of("/dev/null"));
        ConfigFiles.writeAtomically(link, "gone\n");
        assertTrue(Files.isSymbolicLink(link));
        assertFalse(Files.isRegularFile(Path.of("/dev/null")), "/dev/null is still a device");
        assertEquals(List.of("sink.cfg"), names(), "no temporary file left behind");
    }

    @Test
    void aDanglingSymlinkStaysALinkAndTheFileItNamesIsCreated() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("link.cfg"), Path.of("made.cfg"));
        ConfigFiles.writeAtomically(link, "new\n");
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("new\n", Files.readString(dir.resolve("made.cfg")));
    }

    @Test
    void aDirectoryOrAnEmptyNameIsAUserError() {
        ConfigException d = assertThrows(ConfigException.class, () -> ConfigFiles.writeAtomically(dir, "x"));
        assertEquals(dir + ": cannot write: is a directory", d.getMessage());
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigFiles.writeAtomically("", "x"));
        assertEquals("'': an empty file name; name the file to write", e.getMessage());
    }

    @Test
    void aReadOnlyFileIsNotReplaced() throws IOException {
        Path f = dir.resolve("ro.cfg");
        Files.writeString(f, "keep\n");
        assertTrue(f.toFile().setWritable(false, false));
        // root may write any file (as cp does), so only an unprivileged user sees the refusal
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.isWritable(f), "running as root: every file is writable");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigFiles.writeAtomically(f, "new\n"));
        assertTrue(e.getMessage().contains("the file is read-only"), e.getMessage());
        assertEquals("keep\n", Files.readString(f));
    }

    @Test
    void aHugeOrEndlessFileIsReportedNotReadWhole() {
        ReadResult r = ConfigFiles.read("/dev/zero", ConfigFormat.CFG, ReadMode.STRICT);
        assertEquals("/dev/zero: larger than 16 MiB: not a configuration file", r.diagnostics().get(0).render());
    }

    @Test
    void aMissingDirectoryIsAUserError() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigFiles.writeAtomically(dir.resolve("no/vm.cfg"), "x"));
        assertTrue(e.getMessage().endsWith("cannot write: the directory does not exist"), e.getMessage());
    }
}
