package dev.machina.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.machina.cli.Context;
import dev.machina.qom.PropertyType;
import dev.machina.qom.TypeInfo;
import dev.machina.qom.TypeRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the transcripts of QEMU 7.2 say about the types their cases use, for checking configurations
 * the way QEMU 7.2 would: the registry the command line uses, plus declarations (parsed from QEMU's
 * own {@code -device X,help}, {@code -machine pc,help} and {@code -object X,help} output in the
 * transcripts) for the types it does not know yet, and the machine names pc, q35 and none.
 */
final class Qemu72 {
    private Qemu72() {}

    static final Path FACTS = Path.of("../shared/qemu/config");

    static Path transcript(String prefix) {
        assertTrue(Files.isDirectory(FACTS.resolve("transcripts")),
                "the QEMU 7.2 transcripts are expected at " + FACTS.toAbsolutePath() + " (../shared beside the project)");
        try (var s = Files.list(FACTS.resolve("transcripts"))) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)).findFirst().orElseThrow();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ConfigEnv env;

    static synchronized ConfigEnv env() {
        if (env == null) {
            env = build();
        }
        return env;
    }

    private static ConfigEnv build() {
        TypeRegistry base = new Context().registry();
        List<TypeInfo> extra = new ArrayList<>();
        String help07 = read(transcript("07"));
        declare(extra, base, "ide-hd", "device", null, helpBlock(help07, "ide-hd options:"), Map.of());
        declare(extra, base, "pc-i440fx-7.2-machine", "machine", null, helpBlock(help07, "pc-i440fx-7.2-machine options:"), Map.of());
        // the transcript shows only the first lines of q35's list; both are PC machines with the same properties here
        declare(extra, base, "pc-q35-7.2-machine", "machine", null, helpBlock(help07, "pc-i440fx-7.2-machine options:"), Map.of());
        declare(extra, base, "none-machine", "machine", null, List.of(), Map.of());
        // the machines the drive-interface and NUMA checks tell apart (QEMU 7.2's -machine help names them; microvm's
        // pcie property from its -machine microvm,help)
        declare(extra, base, "isapc-machine", "machine", null, List.of(), Map.of());
        declare(extra, base, "microvm-machine", "machine", null, List.of("pcie=<OnOffAuto>"), Map.of());
        for (String old : List.of("pc-i440fx-5.0", "pc-q35-5.0", "pc-q35-5.1")) {
            declare(extra, base, old + "-machine", "machine", null, List.of(), Map.of());
        }
        // used by the transcripts' cases without a help listing: the properties those cases use
        declare(extra, base, "e1000", "device", null, List.of("netdev=<str>", "mac=<str>"), Map.of());
        declare(extra, base, "virtio-rng-pci", "device", null, List.of("any_layout=<bool>", "rng=<str>"), Map.of());
        declare(extra, base, "rng-builtin", "object", "user-creatable", List.of("opened=<bool>"), Map.of());
        TypeRegistry.Builder b = TypeRegistry.builder();
        base.all().forEach(t -> b.add(t.info()));
        extra.forEach(b::add);
        TypeRegistry reg = b.build();
        Map<String, String> machines = Map.of("pc", "pc-i440fx-7.2-machine", "q35", "pc-q35-7.2-machine", "none", "none-machine",
                "pc-i440fx-7.2", "pc-i440fx-7.2-machine", "pc-q35-7.2", "pc-q35-7.2-machine", "isapc", "isapc-machine",
                "microvm", "microvm-machine", "pc-i440fx-5.0", "pc-i440fx-5.0-machine", "pc-q35-5.0", "pc-q35-5.0-machine",
                "pc-q35-5.1", "pc-q35-5.1-machine");
        MachineTypes mt = new MachineTypes() {
            @Override
            public Optional<String> qomType(String name) {
                return Optional.ofNullable(machines.get(name));
            }

            @Override
            public List<String> names() {
                return List.copyOf(machines.keySet());
            }

            @Override
            public String defaultName() {
                return "pc";
            }

            @Override
            public boolean complete() {
                return true;
            }
        };
        return new ConfigEnv(reg, mt);
    }

    private static void declare(List<TypeInfo> out, TypeRegistry base, String name, String parent, String iface, List<String> help,
                                Map<String, PropertyType> overrides) {
        if (base.contains(name)) {
            return; // the catalog knows it: use the catalog's declaration
        }
        TypeInfo.Builder b = TypeInfo.builder(name).parent(parent).description("declared from QEMU 7.2 transcripts for tests");
        if (iface != null) {
            b.implementing(iface);
        }
        var inherited = base.find(parent).map(t -> t.propertyNames()).orElse(java.util.Set.of());
        for (String line : help) {
            String prop = line.substring(0, line.indexOf('='));
            String type = line.substring(line.indexOf("=<") + 2, line.length() - 1); // name=<type>
            if (inherited.contains(prop) || type.startsWith("child<")) {
                continue;
            }
            b.property(prop, overrides.getOrDefault(prop, type(type)), null, "");
        }
        out.add(b.build());
    }

    private static PropertyType type(String t) {
        return switch (t) {
            case "bool" -> PropertyType.BOOL;
            case "uint8" -> PropertyType.UINT8;
            case "uint16" -> PropertyType.UINT16;
            case "uint32" -> PropertyType.UINT32;
            case "uint64", "uint64_t" -> PropertyType.UINT64;
            case "int8" -> PropertyType.INT8;
            case "int16" -> PropertyType.INT16;
            case "int32" -> PropertyType.INT32;
            case "int", "int64" -> PropertyType.INT64;
            case "size" -> PropertyType.SIZE;
            case "OnOffAuto" -> PropertyType.ON_OFF_AUTO;
            default -> t.startsWith("link<") ? new PropertyType.LinkType(t.substring(5, t.length() - 1)) : new PropertyType.StrType(t);
        };
    }

    /** The {@code name=<type>} lines of a help listing that starts with {@code title}. */
    static List<String> helpBlock(String transcript, String title) {
        List<String> out = new ArrayList<>();
        String[] lines = transcript.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].equals(title)) {
                for (int j = i + 1; j < lines.length && lines[j].startsWith("  "); j++) {
                    String l = lines[j].strip();
                    out.add(l.contains(" ") ? l.substring(0, l.indexOf(' ')) : l);
                }
                return out;
            }
        }
        throw new IllegalStateException("no '" + title + "' listing in the transcript");
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
