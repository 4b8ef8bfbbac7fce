package dev.machina.config;

import dev.machina.config.OptionGroup.Param;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * QEMU 7.2's {@code -readconfig} reader, reproduced for {@link ReadMode#QEMU}: {@code qemu_config_foreach}
 * in {@code util/qemu-config.c} (fgets into a 1024-byte buffer, the three {@code sscanf} formats, a
 * bare LF as the only empty line, {@code #} in column 0 as the only comment), the section callback of
 * {@code softmmu/vl.c} (QemuOpts groups through {@code qemu_opts_from_qdict}: group lookup, id checks,
 * unknown keys and typed values; keyval groups passed on) and QEMU's way of locating errors (the line
 * number counts fgets chunks; a section's problems are reported at the last key line read before the
 * next header or the end of the file). It stops at the first error, as QEMU does.
 *
 * <p>Facts: shared/qemu/config/README.md §1.2–1.4 and transcripts/03, 04, 05.
 */
public final class QemuCfgReader {
    private QemuCfgReader() {}

    private static final int FGETS_BUFFER = 1024;
    private static final Set<String> KEYVAL_GROUPS = Set.of("object", "machine", "smp-opts", "boot-opts");

    public static ReadResult read(byte[] data, String file) {
        Reader r = new Reader(data, file, true);
        r.run();
        List<ConfigError> diags = new ArrayList<>();
        if (r.failure != null) {
            diags.add(r.failure);
        }
        // what QEMU does silently, said out loud: the strict reader's findings, as warnings. When QEMU refuses
        // the file (r.failure) it accepts none of it, so the warnings say only where they come from
        String prefix = r.failure == null ? "QEMU 7.2 accepts this silently, but: " : "in strict mode: ";
        for (ConfigError e : CfgReader.read(data, file).diagnostics()) {
            diags.add(new ConfigError.Warning(e.origin(), prefix + e.message()));
        }
        return new ReadResult(new VmConfig(r.sections, r.pending), diags);
    }

    /**
     * Only {@code qemu_config_foreach}: the sections and values QEMU's line parser yields, without the
     * group and key checks (for testing that QEMU's parser reads our files as we do).
     */
    static VmConfig readLines(byte[] data, String file) {
        Reader r = new Reader(data, file, false);
        r.run();
        if (r.failure != null) {
            throw new ConfigException(r.failure);
        }
        return new VmConfig(r.sections, r.pending);
    }

    /** One fgets() result: its bytes (with the LF if it had one), and where it starts in the file. */
    private record Chunk(byte[] bytes, int physicalLine, int column) {}

    private static List<Chunk> chunks(byte[] data) {
        List<Chunk> out = new ArrayList<>();
        int pos = 0;
        int line = 1;
        int col = 1;
        while (pos < data.length) {
            int end = pos;
            while (end < data.length && end - pos < FGETS_BUFFER - 1) {
                end++;
                if (data[end - 1] == '\n') {
                    break;
                }
            }
            out.add(new Chunk(Arrays.copyOfRange(data, pos, end), line, col));
            if (data[end - 1] == '\n') {
                line++;
                col = 1;
            } else {
                col += end - pos;
            }
            pos = end;
        }
        return out;
    }

    private static final class Reader {
        private final byte[] data;
        private final String file;
        final List<Section> sections = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        ConfigError failure;

        /** QEMU's loc: the last key line (chunk number), 0 when none was read yet. */
        private int loc;
        private Chunk locChunk;
        private String group = "";
        private String prevGroup = "";
        private Map<String, Entry> dict;
        private Optional<String> dictHeaderId = Optional.empty();
        private Origin dictOrigin;
        private Layout dictLayout;
        private final Map<String, Set<String>> ids = new LinkedHashMap<>();

        private final boolean checkGroups;

        Reader(byte[] data, String file, boolean checkGroups) {
            this.data = data;
            this.file = file;
            this.checkGroups = checkGroups;
        }

        private Origin qemuLocation() {
            return loc == 0 ? new Origin.Derived("-readconfig " + file) : new Origin.InFile(file, loc, 0);
        }

        private void fail(String message) {
            failure = new ConfigError.Qemu(qemuLocation(), message);
        }

        void run() {
            int lno = 0;
            for (Chunk c : chunks(data)) {
                lno++;
                byte[] line = c.bytes();
                if (line[0] == '\n') {
                    pending.add("");
                    continue;
                }
                if (line[0] == '#') {
                    pending.add(text(line, 0, line.length).replaceFirst("\n$", ""));
                    continue;
                }
                if (line[0] == '[') {
                    Map<String, Entry> prev = dict;
                    CScanf.Result r1 = CScanf.scan(line, "[%63s \"%63[^\"]\"]");
                    if (r1.count() >= 1) {
                        group = text(r1.fields().get(0));
                    }
                    boolean opened = false;
                    Optional<String> headerId = Optional.empty();
                    if (r1.count() == 2) {
                        headerId = Optional.of(text(r1.fields().get(1)));
                        opened = true;
                    } else {
                        CScanf.Result r2 = CScanf.scan(line, "[%63[^]]]");
                        if (r2.count() >= 1) {
                            group = text(r2.fields().get(0));
                        }
                        opened = r2.count() == 1;
                    }
                    if (opened) {
                        if (prev != null && !section(prevGroup)) {
                            return;
                        }
                        dict = new LinkedHashMap<>();
                        dictHeaderId = headerId; // QEMU stores it as the key 'id'; an 'id' key line overrides it
                        dictOrigin = origin(c);
                        dictLayout = new Layout.Kept(pending, trailerAfter(line, (byte) ']'));
                        pending = new ArrayList<>();
                        prevGroup = group;
                        continue;
                    }
                }
                loc = lno;
                locChunk = c;
                String key;
                String value = "";
                CScanf.Result kv = CScanf.scan(line, " %63s = \"%1023[^\"]\"");
                if (kv.count() == 2) {
                    key = text(kv.fields().get(0));
                    value = text(kv.fields().get(1));
                } else {
                    CScanf.Result k = CScanf.scan(line, " %63s = \"\"");
                    if (k.count() != 1) {
                        fail("parse error");
                        return;
                    }
                    key = text(k.fields().get(0));
                }
                if (dict == null) {
                    fail("no group defined");
                    return;
                }
                Entry prior = dict.get(key);
                Entry e = new Entry(key, value, origin(c), new Layout.Kept(pending, trailerAfter(line, (byte) '"')));
                pending = new ArrayList<>();
                if (prior != null) {
                    dict.put(key, new Entry(key, value, e.origin(), prior.layout())); // a QDict keeps the last value
                } else {
                    dict.put(key, e);
                }
            }
            if (dict != null) {
                section(group);
            }
        }

        private Origin origin(Chunk c) {
            int i = 0;
            byte[] b = c.bytes();
            while (i < b.length && CScanf.isSpace(b[i]) && b[i] != '\n') {
                i++;
            }
            return new Origin.InFile(file, c.physicalLine(), c.column() + i);
        }

        /** The blanks and {@code #} comment after the last {@code close} byte of a line, or "". */
        private static String trailerAfter(byte[] line, byte close) {
            int end = line.length;
            while (end > 0 && (line[end - 1] == '\n')) {
                end--;
            }
            int firstClose = -1;
            for (int i = 0; i < end; i++) {
                if (line[i] == close && (close != '"' || seenQuotes(line, i) == 2)) {
                    firstClose = i;
                    break;
                }
            }
            if (firstClose < 0) {
                return "";
            }
            String rest = text(line, firstClose + 1, end);
            return rest.matches("[ \t]*#.*") ? rest : "";
        }

        private static int seenQuotes(byte[] line, int upTo) {
            int n = 0;
            for (int i = 0; i <= upTo; i++) {
                if (line[i] == '"') {
                    n++;
                }
            }
            return n;
        }

        /** The section callback: false when QEMU stops here. */
        private boolean section(String g) {
            List<Entry> entries = new ArrayList<>(dict.values());
            dict = null;
            Section s = new Section(g, dictHeaderId, entries, dictOrigin, dictLayout);
            if (KEYVAL_GROUPS.contains(g) || !checkGroups) {
                sections.add(s);
                return true;
            }
            Optional<OptionGroup> og = OptionGroups.find(g).filter(OptionGroup::qemuReadsIt);
            if (og.isEmpty()) {
                fail("There is no option group '" + g + "'");
                return false;
            }
            OptionGroup group = og.get();
            Optional<String> id = s.effectiveId();
            if (id.isPresent()) {
                if (!IdRules.wellFormed(id.get())) {
                    fail("Parameter 'id' expects an identifier");
                    return false;
                }
                if (group.mergeLists()) {
                    fail("Invalid parameter 'id'");
                    return false;
                }
                if (!ids.computeIfAbsent(g, k -> new HashSet<>()).add(id.get())) {
                    fail("Duplicate ID '" + id.get() + "' for " + g);
                    return false;
                }
            }
            boolean acceptsAny = group.qemuAcceptsAnyKey();
            for (Entry e : entries) {
                if (e.key().equals("id")) {
                    continue;
                }
                Param p = group.params().get(e.key());
                if (p == null) {
                    if (!acceptsAny) {
                        fail("Invalid parameter '" + e.key() + "'");
                        return false;
                    }
                    continue;
                }
                String problem = QemuValues.checkOpt(e.key(), p.type(), e.value());
                if (problem != null) {
                    fail(problem);
                    return false;
                }
            }
            sections.add(s);
            return true;
        }
    }

    private static String text(byte[] b) {
        return text(b, 0, b.length);
    }

    /** Bytes as text: UTF-8 where valid (QEMU passes bytes through), else one char per byte. */
    private static String text(byte[] b, int from, int to) {
        return Bytes.utf8(b, from, to).orElseGet(() -> Bytes.latin1(Arrays.copyOfRange(b, from, to)));
    }
}
