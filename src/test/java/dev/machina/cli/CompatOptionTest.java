package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** --compat takes only 'qemu': any other value is a usage error (exit 2, one line), not a crash (it was exit 70). */
class CompatOptionTest {
    @Test
    void aWrongCompatValueIsAUsageError() {
        for (String[] argv : new String[][] {{"config", "write", "--compat=QEMU", "--", "-m", "1G"}, {"run", "--compat=x", "-m", "1G"}}) {
            CliRunner r = CliRunner.run(argv);
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("--compat takes 'qemu'"), r.err());
            assertFalse(r.err().contains("Exception"), r.err());
        }
    }
}
