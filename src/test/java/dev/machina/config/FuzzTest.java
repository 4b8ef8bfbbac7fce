package dev.machina.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated inputs (seeded, so a failure reproduces) through the cfg readers, the validator,
 * the writers and the command-line parser: nothing but a {@link ConfigException} (the project's own
 * diagnostic) may come out. On the way it checks the strict reader's promise on arbitrary input: what
 * it accepts, QEMU's reader (reproduced) reads the same, and it writes back and reads back unchanged.
 */
class FuzzTest {
    static final int CFG_INPUTS = 100_000;
    static final int COMMAND_LINES = 50_000;
    static final int TREE_INPUTS = 20_000;

    private static final List<byte[]> SEEDS = new ArrayList<>();

    @BeforeAll
    static void seeds() {
        for (String t : List.of("03", "04")) {
            Transcripts.fileCases(t).forEach(c -> SEEDS.add(c.file()));
        }
        String canonical = CfgWriter.write(new Configs(Qemu72.env()).fromCommandLine(List.of("-M", "pc,accel=tcg", "-m", "2G", "-smp",
                "2", "-cpu", "qemu64,+sse3", "-name", "vm1", "-nodefaults", "-S", "-global", "isa-fdc.fallback=144", "-chardev",
                "file,id=c0,path=out.txt", "-device", "isa-serial,id=s0,chardev=c0", "-object", "memory-backend-ram,id=m,size=1G,host-nodes=0-1",
                "-serial", "stdio", "-display", "none", "-boot", "order=cd,menu=on"), ReadMode.STRICT).config());
        SEEDS.add(canonical.getBytes(StandardCharsets.UTF_8));
        SEEDS.add(("# header\n\n[name]   # c\n  guest = \"a,b\"  # CHANGE ME\n\n[device \"d\"]\n\tdriver\t=\t\"x\"\n").getBytes(StandardCharsets.UTF_8));
    }

    private static final byte[] ALPHABET = "[]\"= #\n\r\t\0'\\,.-_abcdeiqxyz019{}$:~".getBytes(StandardCharsets.ISO_8859_1);
    private static final String[] TOKENS = {"[", "]", "\"", " = ", "\n", "\r\n", "#", "  ", "[name]", "[device \"x\"]", "guest",
        "key = \"v\"", "id = \"a\"", "\uFEFF", "é", "\u0000", "[machine]\n  type = \"pc\"\n"};

    private static byte[] mutate(Random r, byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(in);
        byte[] b = out.toByteArray();
        int n = 1 + r.nextInt(4);
        for (int k = 0; k < n; k++) {
            int pos = b.length == 0 ? 0 : r.nextInt(b.length + 1);
            ByteArrayOutputStream m = new ByteArrayOutputStream();
            switch (r.nextInt(7)) {
                case 0 -> { // flip a byte
                    if (b.length > 0) {
                        b[Math.min(pos, b.length - 1)] ^= (byte) (1 << r.nextInt(8));
                    }
                    continue;
                }
                case 1 -> { // insert an alphabet byte
                    m.write(b, 0, pos);
                    m.write(ALPHABET[r.nextInt(ALPHABET.length)]);
                    m.write(b, pos, b.length - pos);
                }
                case 2 -> { // insert a token
                    m.write(b, 0, pos);
                    m.writeBytes(TOKENS[r.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8));
                    m.write(b, pos, b.length - pos);
                }
                case 3 -> { // delete a range
                    int len = Math.min(b.length - pos, r.nextInt(20));
                    m.write(b, 0, pos);
                    m.write(b, pos + len, b.length - pos - len);
                }
                case 4 -> { // a long run, across the 1023-byte line limit
                    m.write(b, 0, pos);
                    byte c = ALPHABET[r.nextInt(ALPHABET.length)];
                    for (int i = 0; i < 1000 + r.nextInt(100); i++) {
                        m.write(c == '\n' ? 'x' : c);
                    }
                    m.write(b, pos, b.length - pos);
                }
                case 5 -> { // splice another seed
                    byte[] o = SEEDS.get(r.nextInt(SEEDS.size()));
                    int from = o.length == 0 ? 0 : r.nextInt(o.length);
                    m.write(b, 0, pos);
                    m.write(o, from, o.length - from);
                }
                default -> { // a random high byte (broken UTF-8)
                    m.write(b, 0, pos);
                    m.write(0x80 + r.nextInt(128));
                    m.write(b, pos, b.length - pos);
                }
            }
            b = m.toByteArray();
        }
        return b;
    }

    private static byte[] random(Random r) {
        byte[] b = new byte[r.nextInt(300)];
        for (int i = 0; i < b.length; i++) {
            b[i] = r.nextInt(4) == 0 ? (byte) r.nextInt(256) : ALPHABET[r.nextInt(ALPHABET.length)];
        }
        return b;
    }

    @Test
    void cfgReadersValidatorAndWriterOnlyEverReportDiagnostics() {
        Random r = new Random(20260521);
        ConfigEnv env = Qemu72.env();
        int strictAccepted = 0;
        for (int i = 0; i < CFG_INPUTS; i++) {
            byte[] in = i % 10 < 3 ? random(r) : mutate(r, SEEDS.get(r.nextInt(SEEDS.size())));
            try {
                ReadResult strict = CfgReader.read(in, "f.cfg");
                ReadResult compat = QemuCfgReader.read(in, "f.cfg");
                for (ReadMode m : ReadMode.values()) {
                    new ConfigValidator(env, m).validate((m == ReadMode.STRICT ? strict : compat).config());
                }
                if (strict.ok()) {
                    strictAccepted++;
                    assertEquals(idsInHeaders(strict.config()), idsInHeaders(QemuCfgReader.readLines(in, "f.cfg")),
                            "QEMU's line parser reads a strictly valid file differently");
                    String out = CfgWriter.write(strict.config());
                    assertEquals(strict.config().content(), CfgReader.read(out, "g.cfg").orThrow().content());
                }
            } catch (ConfigException expected) {
                // a diagnostic: fine
            } catch (RuntimeException | AssertionError e) {
                fail("input #" + i + " " + printable(in) + " → " + e, e);
            }
        }
        assertTrue(strictAccepted > CFG_INPUTS / 50, "too few inputs were valid to test the round trip: " + strictAccepted);
    }

    private static final String[] OPTIONS = CliOptions.names().toArray(String[]::new);
    private static final String[] VALUES = {"pc", "isa-serial", "isa-serial,id=s0,iobase=0x3f8", "help", "?", ",,", "=", "a=b,c",
        "{\"driver\":\"isa-serial\"}", "{", "file,id=c0,path=x", "driver.prop=1", "device.s0.iobase=1", "2G", "0x200", "",
        "memory-backend-ram,id=m,size=1M,host-nodes=0-1", "qemu64,+x,-y,z=1", "nosuch.cfg", "-", "id", "noid", "type=q35,smp.cpus=2"};

    @Test
    void commandLineParserOnlyEverReportsDiagnostics() {
        Random r = new Random(7);
        Configs configs = new Configs(Qemu72.env());
        for (int i = 0; i < COMMAND_LINES; i++) {
            List<String> args = new ArrayList<>();
            int n = r.nextInt(8);
            for (int k = 0; k < n; k++) {
                args.add(r.nextInt(10) == 0 ? "-" + (char) ('a' + r.nextInt(26)) + "x" : OPTIONS[r.nextInt(OPTIONS.length)]);
                String v = VALUES[r.nextInt(VALUES.length)];
                if (r.nextBoolean()) {
                    v = new String(mutate(r, v.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
                }
                if (r.nextInt(6) != 0) {
                    args.add(v);
                }
            }
            ReadMode mode = r.nextBoolean() ? ReadMode.STRICT : ReadMode.QEMU;
            try {
                ParsedCommandLine p = configs.fromCommandLine(args, mode);
                if (p.help().isEmpty()) {
                    List<String> again = CommandLineWriter.write(p.config(), Optional.of(configs.env()));
                    assertEquals(p.config().content(), configs.fromCommandLine(again, mode).config().content(), "written back: " + again);
                }
            } catch (ConfigException expected) {
                // a diagnostic: fine
            } catch (RuntimeException | AssertionError e) {
                fail("command line #" + i + " " + args + " → " + e, e);
            }
        }
    }

    @Test
    void yamlAndJsonReadersOnlyEverReportDiagnostics() {
        Random r = new Random(11);
        VmConfig c = CfgReader.read(SEEDS.get(SEEDS.size() - 2), "s.cfg").orThrow();
        byte[] yaml = YamlFormat.write(c).getBytes(StandardCharsets.UTF_8);
        byte[] json = JsonFormat.write(c).getBytes(StandardCharsets.UTF_8);
        byte[] anchors = "vars:\n  s: &s {driver: isa-serial}\nsections:\n  - device: *s\n  - device: {<<: *s, id: x}\n  - r: &r [*r]\n"
                .getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < TREE_INPUTS; i++) {
            byte[] in = mutate(r, i % 3 == 0 ? yaml : i % 3 == 1 ? json : anchors);
            try {
                ReadResult res = i % 3 == 1 ? JsonFormat.read(in, "f.json") : YamlFormat.read(in, "f.yaml");
                new ConfigValidator(Qemu72.env(), ReadMode.STRICT).validate(res.config());
            } catch (ConfigException expected) {
                // a diagnostic: fine
            } catch (RuntimeException | AssertionError | StackOverflowError e) {
                fail("input #" + i + " " + printable(in) + " → " + e, e);
            }
        }
    }

    /** QEMU keeps an id key as the key 'id'; the strict reader moves it to the header. The same section either way. */
    private static VmConfig idsInHeaders(VmConfig c) {
        List<Section> out = new ArrayList<>();
        for (Section s : c.content().sections()) {
            Optional<String> id = s.effectiveId();
            out.add(new Section(s.group(), id, s.entries().stream().filter(e -> !e.key().equals("id")).toList(), Origin.NONE, Layout.CANONICAL));
        }
        return VmConfig.of(out);
    }

    private static String printable(byte[] b) {
        StringBuilder s = new StringBuilder("\"");
        for (byte x : b) {
            int c = x & 0xff;
            s.append(c >= 32 && c < 127 && c != '"' && c != '\\' ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return s.append('"').toString();
    }
}
