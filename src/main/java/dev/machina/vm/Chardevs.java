package dev.machina.vm;

import dev.machina.config.Section;
import dev.machina.config.VmConfig;
import dev.machina.hw.core.CharFrontend;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The VM's character devices: {@code -chardev BACKEND,id=ID,...} and the ones {@code -serial},
 * {@code -nographic} and {@code -debugcon} make ({@code serial0}, ...), as QEMU 7.2's
 * {@code qemu_chr_new} does. Backends: {@code null}, {@code file} ({@code path}, {@code append}),
 * {@code stdio} (one per VM), {@code pipe} ({@code path}: {@code PATH.in}/{@code PATH.out}, or
 * {@code PATH} for both), {@code ringbuf} ({@code size}); others are refused, naming the option.
 *
 * <p>The stdio chardev of {@code -nographic} (QEMU's {@code mon:stdio}) takes QEMU's escapes:
 * Ctrl-A x quits, Ctrl-A Ctrl-A sends Ctrl-A; Ctrl-A c (the monitor) is not available yet.
 */
final class Chardevs {
    /** The process's standard streams, and who to tell when the user quits from the console. */
    record Stdio(InputStream in, OutputStream out, Runnable onQuit, Runnable onInput) {}

    private final Map<String, HostChardev> byId = new LinkedHashMap<>();
    private final Stdio stdio;
    private String stdioOwner;

    Chardevs(Stdio stdio) {
        this.stdio = stdio;
    }

    Optional<CharFrontend> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    boolean has(String id) {
        return byId.containsKey(id);
    }

    List<HostChardev> all() {
        return new ArrayList<>(byId.values());
    }

    /**
     * Every {@code -chardev} of the configuration, but a socket that a {@code -mon} uses: the monitor serves it
     * (as libvirt's {@code -chardev socket,id=charmonitor,... -mon chardev=charmonitor,mode=control}).
     */
    void fromConfig(VmConfig config) {
        java.util.Set<String> monitors = new java.util.HashSet<>();
        for (Section m : config.sections("mon")) {
            m.get("chardev").ifPresent(monitors::add);
        }
        for (Section s : config.sections("chardev")) {
            String where = s.origin().describe();
            String id = s.effectiveId().orElseThrow(() -> new VmException(new VmError.CannotStart(where, "-chardev needs an id")));
            if (monitors.contains(id) && s.get("backend").filter("socket"::equals).isPresent()) {
                continue;
            }
            String backend = s.get("backend").orElseThrow(() -> new VmException(new VmError.CannotStart(where,
                    "-chardev " + id + " needs a backend (null, file, stdio, pipe, ringbuf)")));
            add(id, backend, s.get("path").orElse(null), s.get("append").map(v -> v.equals("on") || v.equals("true")).orElse(false),
                    false, where);
        }
    }

    /**
     * A chardev from QEMU's short form ({@code -serial stdio}, {@code file:PATH}, {@code null},
     * {@code chardev:ID}, {@code mon:stdio}, {@code none}); returns the id it has, or empty for
     * {@code none}.
     */
    Optional<String> fromShortForm(String spec, String newId, String where) {
        if (spec.equals("none")) {
            return Optional.empty();
        }
        if (spec.startsWith("chardev:")) {
            String id = spec.substring("chardev:".length());
            if (!byId.containsKey(id)) {
                throw new VmException(new VmError.CannotStart(where, "chardev '" + id + "' not found; define it with -chardev ...,id=" + id));
            }
            return Optional.of(id);
        }
        boolean mux = false;
        if (spec.startsWith("mon:")) {
            mux = true;
            spec = spec.substring(4);
        }
        if (spec.equals("stdio")) {
            add(newId, "stdio", null, false, mux, where);
        } else if (spec.equals("null")) {
            add(newId, "null", null, false, false, where);
        } else if (spec.startsWith("file:")) {
            add(newId, "file", spec.substring(5), false, false, where);
        } else if (spec.startsWith("pipe:")) {
            add(newId, "pipe", spec.substring(5), false, false, where);
        } else {
            throw new VmException(new VmError.CannotStart(where, "character device '" + spec
                    + "' is not available in Machina yet; use stdio, null, file:PATH, pipe:PATH, chardev:ID or none"));
        }
        return Optional.of(newId);
    }

    private void add(String id, String backend, String path, boolean append, boolean mux, String where) {
        if (byId.containsKey(id)) {
            throw new VmException(new VmError.CannotStart(where, "duplicate chardev id '" + id + "'"));
        }
        HostChardev c = switch (backend) {
            case "null" -> new HostChardev(id, null, false);
            case "file" -> new HostChardev(id, open(needPath(path, id, where), append, where), false);
            case "stdio" -> stdio(id, mux, where);
            case "pipe" -> pipe(id, needPath(path, id, where), where);
            case "ringbuf" -> new HostChardev(id, null, false);
            default -> throw new VmException(new VmError.CannotStart(where, "chardev backend '" + backend
                    + "' is not available in Machina yet; use null, file, stdio, pipe or ringbuf"));
        };
        byId.put(id, c);
    }

    private static String needPath(String path, String id, String where) {
        if (path == null || path.isEmpty()) {
            throw new VmException(new VmError.CannotStart(where, "chardev '" + id + "' needs a path"));
        }
        return path;
    }

    private HostChardev stdio(String id, boolean mux, String where) {
        if (stdioOwner != null) {
            throw new VmException(new VmError.CannotStart(where, "cannot use stdio by multiple character devices ("
                    + stdioOwner + " has it)"));
        }
        stdioOwner = id;
        HostChardev c = new HostChardev(id, stdio.out(), true);
        if (stdio.in() != null) {
            InputStream in = mux ? new Escapes(stdio.in(), stdio.onQuit()) : stdio.in();
            c.readFrom(in, id, stdio.onInput());
        }
        return c;
    }

    private HostChardev pipe(String id, String path, String where) {
        Path in = Path.of(path + ".in");
        Path out = Path.of(path + ".out");
        boolean pair = Files.exists(in) && Files.exists(out);
        HostChardev c = new HostChardev(id, open(pair ? out.toString() : path, true, where), true);
        try {
            c.readFrom(Files.newInputStream(pair ? in : Path.of(path)), id, stdio.onInput());
        } catch (IOException e) {
            throw new VmException(new VmError.CannotStart(where, "cannot open pipe " + path + ": " + e.getMessage()));
        }
        return c;
    }

    private static OutputStream open(String path, boolean append, String where) {
        try {
            return new BufferedOutputStream(Files.newOutputStream(Path.of(path), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING));
        } catch (IOException | RuntimeException e) {
            throw new VmException(new VmError.CannotStart(where, "cannot open " + path + " for writing: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())));
        }
    }

    void flushAll() {
        byId.values().forEach(HostChardev::flush);
    }

    /** QEMU's mux escapes on the console: Ctrl-A x quits, Ctrl-A Ctrl-A is one Ctrl-A; others are dropped. */
    static final class Escapes extends InputStream {
        private final InputStream in;
        private final Runnable onQuit;

        Escapes(InputStream in, Runnable onQuit) {
            this.in = in;
            this.onQuit = onQuit;
        }

        @Override
        public int read() throws IOException {
            while (true) {
                int b = in.read();
                if (b != 0x01) {
                    return b;
                }
                int c = in.read();
                if (c < 0) {
                    return -1;
                }
                if (c == 0x01) {
                    return 0x01;
                }
                if (c == 'x') {
                    onQuit.run();
                    return -1;
                }
            }
        }
    }
}
