package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What QEMU 7.2 opens or looks up on the host at start (dev.machina.vm.HostCheck): {@code run} refuses it in one line, exit 1,
 * before anything runs, while {@code config write} writes the file for the host that will run it. Each line was run with
 * qemu-system-x86_64 7.2.22 (rc 1, the words quoted); the last five are what Machina cannot do at all.
 */
class RunChecksTheHostAsQemuDoesTest {
    @TempDir
    static Path tmp;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "-mem-path /nonexistent-dir                    | can't open backing store /nonexistent-dir for guest RAM: No such file or directory",
        "-tpmdev passthrough,id=t0,path=/nonexistent  | Cannot access TPM device using '/nonexistent': No such file or directory",
        "-D /nonexistent-dir/log                       | Error opening logfile /nonexistent-dir/log: No such file or directory",
        "-pidfile ''                                   | cannot create PID file: Could not create '': No such file or directory",
        "-acpitable sig=TEST,data=@BIG                 | ACPI table too big, requested: 10485796, max: 65535",
        "-pflash @BIG                                  | combined size of system firmware exceeds 8388608 bytes",
        "-plugin file=/tmp/x.so                        | Machina has no TCG plugin interface",
        "-chroot /tmp                                  | Machina cannot chroot",
        "-runas nobody                                 | Machina cannot change its user",
        "-loadvm snap1                                 | Machina has no snapshots to load",
        "-dump-vmstate x.json                          | Machina has no migration state to describe",
    })
    void runRefusesWhatQemuRefusesOnThisHost(String option, String words) throws IOException {
        Path big = tmp.resolve("big.img");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(10 << 20);
        }
        String[] o = option.strip().replace("@BIG", big.toString()).split(" ");
        for (int i = 0; i < o.length; i++) {
            o[i] = o[i].equals("''") ? "" : o[i];
        }
        String[] args = new String[o.length + 7];
        args[0] = "run";
        args[1] = "-M";
        args[2] = "pc";
        System.arraycopy(o, 0, args, 3, o.length);
        args[o.length + 3] = "-nodefaults";
        args[o.length + 4] = "-S";
        args[o.length + 5] = "-display";
        args[o.length + 6] = "none";
        CliRunner r = CliRunner.run(args);
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains(words), r.err());
        assertEquals(1, r.err().strip().split("\n").length, "one line: " + r.err());

        String[] write = new String[o.length + 4];
        write[0] = "config";
        write[1] = "write";
        System.arraycopy(o, 0, write, 2, o.length);
        write[o.length + 2] = "-o";
        write[o.length + 3] = tmp.resolve("vm.cfg").toString();
        if (!option.contains("-pidfile")) {
            CliRunner w = CliRunner.run(write);
            assertEquals(0, w.code(), "config write checks the command line, not this host: " + w.err());
        }
    }
}
