package dev.machina.config;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The strict reader of QEMU's {@code -readconfig} format. It accepts a subset of what QEMU 7.2 accepts,
 * and reads each accepted line exactly as QEMU does; every line QEMU would reject, silently accept as
 * something else, or mangle is an error at its line and column, with what would be right.
 *
 * <p>Grammar (one physical line each, LF line ends, at most 1023 bytes with the LF):
 * <pre>
 *   blank   = ""                                   (only an empty line; blanks alone are an error)
 *   comment = "#" anything                         (column 1 only)
 *   header  = "[" group "]" trailer
 *           | "[" group blank+ '"' id '"' "]" trailer
 *   entry   = blank* key blank+ "=" blank* '"' value '"' trailer
 *   trailer = blank* [ "#" anything ]
 * </pre>
 * where {@code blank} is a space or a tab, a group, key and id have at most 63 characters, a key is
 * letters, digits, {@code - _ .}, and a value has no {@code "}, CR or LF (there is no escaping).
 * Comments and blank lines are kept in the sections' {@link Layout} for cfg → cfg conversion.
 * Semantic checks (groups, keys, values) are {@link ConfigValidator}'s.
 */
public final class CfgReader {
    private CfgReader() {}

    /** QEMU's {@code fgets(line, 1024, fp)}: a line of more than 1023 bytes with its LF is split. */
    static final int MAX_LINE_BYTES = 1023;
    /** QEMU's {@code %63s} and {@code %63[^...]}: names of more than 63 characters are cut. */
    static final int MAX_NAME = 63;

    public static ReadResult read(byte[] data, String file) {
        return new Parser(data, file).parse();
    }

    private static final class Parser {
        private final byte[] data;
        private final String file;
        private final List<ConfigError> diags = new ArrayList<>();
        private final List<Section> sections = new ArrayList<>();
        private List<String> pending = new ArrayList<>();

        // the section being read
        private String group;
        private Optional<String> id;
        private Origin headerOrigin;
        private Layout headerLayout;
        private List<Entry> entries;
        private boolean inSection;
        private boolean brokenHeader; // entries after a header with errors are skipped silently

        Parser(byte[] data, String file) {
            this.data = data;
            this.file = file;
        }

        ReadResult parse() {
            int lineNo = 0;
            int start = 0;
            while (start < data.length) {
                int lf = start;
                while (lf < data.length && data[lf] != '\n') {
                    lf++;
                }
                lineNo++;
                boolean hasLf = lf < data.length;
                line(lineNo, start, lf, hasLf);
                start = lf + 1;
            }
            finishSection();
            return new ReadResult(new VmConfig(sections, pending), diags);
        }

        private Origin at(int line, int col) {
            return new Origin.InFile(file, line, col);
        }

        private void error(int line, int col, String problem, String fix) {
            diags.add(new ConfigError.Syntax(at(line, col), problem, fix));
        }

        private void line(int n, int from, int to, boolean hasLf) {
            int bytes = to - from + (hasLf ? 1 : 0);
            for (int i = from; i < to; i++) {
                if (data[i] == 0) {
                    error(n, i - from + 1, "NUL byte", "QEMU ends the line there; remove it");
                    return;
                }
            }
            Optional<String> decoded = Bytes.utf8(data, from, to);
            if (decoded.isEmpty()) {
                error(n, 1, "the line is not valid UTF-8", "save the file as UTF-8");
                return;
            }
            String s = decoded.get();
            if (bytes > MAX_LINE_BYTES) {
                error(n, 1, "the line is " + bytes + " bytes long with its line end, more than the 1023 QEMU reads at once",
                        "QEMU would read the rest as another line; shorten the value");
                return;
            }
            if (n == 1 && s.startsWith("\uFEFF")) {
                error(n, 1, "the file starts with a UTF-8 byte order mark", "QEMU does not skip it and fails with 'no group defined'; save the file without a BOM");
                s = s.substring(1);
            }
            if (s.endsWith("\r")) {
                error(n, s.length(), "the line ends with a carriage return (CRLF)",
                        "QEMU reads an empty CRLF line as a parse error; save the file with LF line ends");
                s = s.substring(0, s.length() - 1);
            }
            if (s.isEmpty()) {
                pending.add("");
                return;
            }
            if (s.charAt(0) == '#') {
                pending.add(s);
                return;
            }
            if (s.isBlank()) {
                error(n, 1, "the line has only blanks", "QEMU reports a parse error for it; make it empty");
                return;
            }
            if (s.charAt(0) == '[') {
                header(n, s);
                return;
            }
            entry(n, s);
        }

        private static boolean blank(char c) {
            return c == ' ' || c == '\t';
        }

        private static boolean nameChar(char c) {
            return c != ' ' && c != '\t' && c != ']' && c != '"' && c != '[' && !Character.isWhitespace(c);
        }

        private void header(int n, String s) {
            finishSection();
            List<String> before = pending;
            pending = new ArrayList<>();
            brokenHeader = true;
            inSection = true;
            group = null;
            entries = new ArrayList<>();
            int i = 1;
            int len = s.length();
            while (i < len && nameChar(s.charAt(i))) {
                i++;
            }
            String g = s.substring(1, i);
            if (g.isEmpty()) {
                error(n, 2, i < len && blank(s.charAt(i)) ? "a blank right after '['" : "no group name between '[' and ']'",
                        i < len && blank(s.charAt(i)) ? "QEMU makes it part of the group name; write [group]" : "write [group] or [group \"id\"]");
                return;
            }
            if (g.length() > MAX_NAME) {
                error(n, 2, "the group name has " + g.length() + " characters", "QEMU cuts names at 63 characters");
                return;
            }
            Optional<String> hid = Optional.empty();
            if (i < len && s.charAt(i) == '"') {
                error(n, i + 1, "no blank between the group and its id", "QEMU reads [" + g + "\"...] as one group name; write [" + g + " \"id\"]");
                return;
            }
            if (i < len && blank(s.charAt(i))) {
                int j = i;
                while (j < len && blank(s.charAt(j))) {
                    j++;
                }
                if (j >= len || s.charAt(j) != '"') {
                    error(n, i + 1, "a blank inside the brackets", "QEMU makes it part of the group name '" + s.substring(1, Math.min(len, j < len && s.charAt(j) == ']' ? j : len)) + "'; write [" + g + "] or [" + g + " \"id\"]");
                    return;
                }
                int close = s.indexOf('"', j + 1);
                if (close < 0) {
                    error(n, j + 1, "the id is not closed with '\"'", "write [" + g + " \"id\"]");
                    return;
                }
                String idText = s.substring(j + 1, close);
                if (idText.isEmpty()) {
                    error(n, j + 1, "an empty id", "QEMU reads [" + g + " \"\"] as a group named '" + g + " \"\"'; write an id or leave the quotes out");
                    return;
                }
                if (idText.length() > MAX_NAME) {
                    error(n, j + 2, "the id has " + idText.length() + " characters", "QEMU silently cuts ids at 63 characters; use a shorter id");
                    return;
                }
                hid = Optional.of(idText);
                i = close + 1;
                if (i >= len || s.charAt(i) != ']') {
                    error(n, i + 1, "expected ']' after the id", "QEMU ignores whatever follows the id's closing quote; write [" + g + " \"" + idText + "\"]");
                    return;
                }
            } else if (i >= len) {
                error(n, len + 1, "the header is not closed with ']'", "QEMU takes the line end as part of the group name; write [" + g + "]");
                return;
            } else if (s.charAt(i) != ']') {
                error(n, i + 1, "unexpected '" + s.charAt(i) + "' in the group name", "write [group] or [group \"id\"]");
                return;
            }
            String trailer = s.substring(i + 1);
            if (!trailerOk(n, i + 2, trailer, "']'")) {
                return;
            }
            group = g;
            id = hid;
            headerOrigin = at(n, 1);
            headerLayout = new Layout.Kept(before, trailer);
            brokenHeader = false;
        }

        private boolean trailerOk(int n, int col, String trailer, String after) {
            int k = 0;
            while (k < trailer.length() && blank(trailer.charAt(k))) {
                k++;
            }
            if (k < trailer.length() && trailer.charAt(k) != '#') {
                error(n, col + k, "text after the closing " + after,
                        "QEMU ignores it silently; remove it or start it with '#' to make it a comment"
                                + (after.equals("quote") ? " (values cannot contain '\"': there is no escaping)" : ""));
                return false;
            }
            return true;
        }

        private void entry(int n, String s) {
            int len = s.length();
            int i = 0;
            while (i < len && blank(s.charAt(i))) {
                i++;
            }
            if (i < len && Character.isWhitespace(s.charAt(i))) {
                error(n, i + 1, "a control character before the key", "indent with spaces or tabs");
                return;
            }
            char first = s.charAt(i);
            if (first == '#') {
                error(n, i + 1, "an indented comment", "QEMU reads '#' as a key unless it is in column 1; move it to column 1");
                return;
            }
            if (first == '[') {
                error(n, i + 1, "an indented section header", "QEMU reads it as a key unless '[' is in column 1; move it to column 1");
                return;
            }
            int k = i;
            while (k < len && !Character.isWhitespace(s.charAt(k))) {
                k++;
            }
            String token = s.substring(i, k);
            int eq = token.indexOf('=');
            if (eq >= 0) {
                error(n, i + eq + 1, "no blank between the key and '='",
                        "QEMU reads '" + token + "' as the key; write " + (eq == 0 ? "key" : token.substring(0, eq)) + " = \"value\"");
                return;
            }
            for (int c = 0; c < token.length(); c++) {
                char ch = token.charAt(c);
                if (!(Character.isLetterOrDigit(ch) && ch < 128 || ch == '-' || ch == '_' || ch == '.')) {
                    error(n, i + c + 1, "'" + ch + "' in the key '" + token + "'", "a key has letters, digits, '-', '_' and '.'");
                    return;
                }
            }
            if (token.length() > MAX_NAME) {
                error(n, i + 1, "the key has " + token.length() + " characters", "QEMU cuts keys at 63 characters");
                return;
            }
            int j = k;
            while (j < len && blank(s.charAt(j))) {
                j++;
            }
            String quoteFix = "write " + token + " = \"value\"";
            if (j >= len) {
                error(n, k + 1, "a key without '=' and a value", "QEMU silently reads it as " + token + " = \"\"; " + quoteFix);
                return;
            }
            if (s.charAt(j) != '=') {
                error(n, j + 1, "expected '=' after the key", "QEMU silently reads the line as " + token + " = \"\"; " + quoteFix);
                return;
            }
            j++;
            while (j < len && blank(s.charAt(j))) {
                j++;
            }
            if (j >= len) {
                error(n, j + 1, "no value after '='", "QEMU silently reads it as \"\"; " + quoteFix);
                return;
            }
            char q = s.charAt(j);
            if (q != '"') {
                error(n, j + 1, q == '\'' ? "a value in single quotes" : "a value without double quotes",
                        "QEMU silently reads it as \"\"; " + quoteFix);
                return;
            }
            int close = s.indexOf('"', j + 1);
            if (close < 0) {
                error(n, j + 1, "the value is not closed with '\"'", "QEMU would take the rest of the line and its line end as the value");
                return;
            }
            String value = s.substring(j + 1, close);
            int cr = value.indexOf('\r');
            if (cr >= 0) {
                error(n, j + 2 + cr, "a carriage return in the value", "values cannot hold line-end characters");
                return;
            }
            String trailer = s.substring(close + 1);
            if (!trailerOk(n, close + 2, trailer, "quote")) {
                return;
            }
            if (!inSection) {
                error(n, i + 1, "a key before the first section header", "QEMU stops with 'no group defined'; put a [group] line above it");
                pending = new ArrayList<>();
                return;
            }
            List<String> before = pending;
            pending = new ArrayList<>();
            if (brokenHeader) {
                return;
            }
            Origin where = at(n, i + 1);
            for (Entry e : entries) {
                if (e.key().equals(token) && !RepeatedKeys.isList(group, token)) {
                    diags.add(new ConfigError.DuplicateKey(where, "[" + group + "]", token, e.origin()));
                    return;
                }
            }
            entries.add(new Entry(token, value, where, new Layout.Kept(before, trailer)));
        }

        private void finishSection() {
            if (!inSection || brokenHeader) {
                return;
            }
            Optional<String> sectionId = id;
            List<Entry> list = entries;
            for (int k = 0; k < list.size(); k++) {
                Entry e = list.get(k);
                if (!e.key().equals("id")) {
                    continue;
                }
                if (sectionId.isPresent()) {
                    diags.add(new ConfigError.Syntax(e.origin(), "the section has the id '" + sectionId.get()
                            + "' in its header and '" + e.value() + "' as a key", "QEMU silently uses the key's; keep one of them"));
                } else {
                    // [chardev] + id = "c3" is [chardev "c3"]: the id moves to the header (QEMU stores a header id as key 'id')
                    sectionId = Optional.of(e.value());
                    list = new ArrayList<>(list);
                    Layout kept = e.layout();
                    list.remove(k);
                    if (kept instanceof Layout.Kept kl && !kl.before().isEmpty() && k < list.size()) {
                        Entry next = list.get(k);
                        List<String> merged = new ArrayList<>(kl.before());
                        if (next.layout() instanceof Layout.Kept nl) {
                            merged.addAll(nl.before());
                            list.set(k, new Entry(next.key(), next.value(), next.origin(), new Layout.Kept(merged, nl.trailer())));
                        }
                    }
                }
                break;
            }
            sections.add(new Section(group, sectionId, list, headerOrigin, headerLayout));
        }
    }

    /** Reads bytes given as text, for tests and in-memory use. */
    public static ReadResult read(String text, String file) {
        return read(text.getBytes(StandardCharsets.UTF_8), file);
    }
}
