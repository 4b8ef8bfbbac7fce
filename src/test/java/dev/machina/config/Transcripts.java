package dev.machina.config;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the recorded QEMU 7.2 cases of {@code ../shared/qemu/config/transcripts}: the exact bytes of
 * each {@code -readconfig} test file (from its {@code cat -A} listing), the command line QEMU was run
 * with, whether QEMU accepted it, its error message and line, and what QMP reported.
 */
final class Transcripts {
    private Transcripts() {}

    /** One recorded run. {@code file} is null for command-line-only cases. */
    record Case(String transcript, String name, String description, byte[] file, List<String> args, boolean accepted,
                String qemuError, int qemuErrorLine, List<String> qmp) {
        @Override
        public String toString() {
            return transcript + "/" + name + ": " + description;
        }
    }

    /** The {@code -readconfig} file cases of transcripts 03 and 04 (case.sh's format). */
    static List<Case> fileCases(String prefix) {
        Path path = Qemu72.transcript(prefix);
        String[] lines = Qemu72.read(path).split("\n", -1);
        List<Case> out = new ArrayList<>();
        String description = null;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith("### ") && !lines[i].equals("### (run)")) {
                description = lines[i].substring(4);
            }
            Matcher m = Pattern.compile("^--- (\\S+\\.cfg) \\(cat -A").matcher(lines[i]);
            if (!m.find()) {
                continue;
            }
            String name = m.group(1);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            int j = i + 1;
            for (; !lines[j].equals("---"); j++) {
                String l = lines[j];
                boolean noNewline = l.endsWith("   <no newline at end of file>");
                if (noNewline) {
                    l = l.substring(0, l.length() - "   <no newline at end of file>".length());
                } else {
                    l = l.substring(0, l.length() - 1); // the '$' cat -A puts at each line end
                }
                unCatA(l, bytes);
                if (!noNewline) {
                    bytes.write('\n');
                }
            }
            // the run: "$ ./qmprun.py ... -- ARGS", then QEMU's output
            int k = j + 1;
            while (!lines[k].startsWith("$ ")) {
                k++;
            }
            List<String> args = argsAfterDashDash(lines[k].substring(2));
            Outcome o = outcome(lines, k + 1);
            out.add(new Case(prefix, name.replace(".cfg", ""), description, bytes.toByteArray(), args, o.accepted, o.error, o.line, o.qmp));
        }
        return out;
    }

    /** The command lines of transcripts 05 and 06 ("$ qemu-system-x86_64 ARGS" or "$ ./qmprun.py ... -- ARGS"). */
    static List<Case> commandLineCases(String prefix) {
        String[] lines = Qemu72.read(Qemu72.transcript(prefix)).split("\n", -1);
        List<Case> out = new ArrayList<>();
        String description = null;
        int n = 0;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith("### ")) {
                description = lines[i].substring(4);
            }
            if (!lines[i].startsWith("$ ")) {
                continue;
            }
            String cmd = lines[i].substring(2);
            List<String> words = shellWords(cmd);
            List<String> args;
            if (words.get(0).equals("qemu-system-x86_64")) {
                args = words.subList(1, words.size());
            } else if (words.get(0).equals("./qmprun.py")) {
                args = argsAfterDashDash(cmd);
            } else {
                continue; // bash -c pipelines: stdin or head, not a plain command line
            }
            Outcome o = outcome(lines, i + 1);
            out.add(new Case(prefix, "cmd" + (++n), description, null, args, o.accepted, o.error, o.line, o.qmp));
        }
        return out;
    }

    private record Outcome(boolean accepted, String error, int line, List<String> qmp) {}

    private static Outcome outcome(String[] lines, int from) {
        List<String> qmp = new ArrayList<>();
        String error = null;
        int line = 0;
        boolean accepted = false;
        for (int i = from; i < lines.length && !lines[i].startsWith("[exit status"); i++) {
            String l = lines[i];
            if (l.startsWith("QMP ")) {
                StringBuilder b = new StringBuilder(l);
                while (i + 1 < lines.length && !lines[i + 1].startsWith("QMP ") && !lines[i + 1].startsWith("[")) {
                    b.append('\n').append(lines[++i]);
                }
                qmp.add(b.toString());
                continue;
            }
            if (l.equals("[qemu exit status 0]")) {
                accepted = true;
            }
            Matcher m = Pattern.compile("^(?:\\S+ )?qemu-system-x86_64:(?:(\\S+?):(\\d+):)? (.*)$").matcher(l);
            if (error == null && m.find() && !m.group(3).startsWith("warning:") && !m.group(3).startsWith("terminating")) {
                StringBuilder msg = new StringBuilder(m.group(3));
                while (i + 1 < lines.length && !lines[i + 1].startsWith("[") && !lines[i + 1].startsWith("qemu")
                        && !lines[i + 1].startsWith("Optional suffix") && !lines[i + 1].startsWith("and exabytes")
                        && !lines[i + 1].startsWith("Please use") && !lines[i + 1].startsWith("QMP")) {
                    msg.append('\n').append(lines[++i]);
                }
                error = msg.toString();
                line = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
            }
            if (l.startsWith("[exit status")) {
                break;
            }
        }
        // a plain qemu-system-x86_64 run ends with "[exit status N]" only
        for (int i = from; i < lines.length; i++) {
            if (lines[i].startsWith("[exit status")) {
                if (lines[i].equals("[exit status: 124]")) {
                    accepted = true; // still running when the recording's timeout stopped it
                    break;
                }
                if (!lines[i].equals("[exit status: 0]") || accepted) {
                    break;
                }
                boolean viaQmp = false;
                for (int j = from; j < i; j++) {
                    viaQmp |= lines[j].startsWith("[qemu ");
                }
                accepted = !viaQmp;
                break;
            }
        }
        return new Outcome(accepted, error, line, qmp);
    }

    private static List<String> argsAfterDashDash(String cmd) {
        List<String> w = shellWords(cmd);
        int dd = w.indexOf("--");
        return new ArrayList<>(w.subList(dd + 1, w.size()));
    }

    /** Python's shlex.join output back into words (single quotes, and '"'"' for a quote). */
    static List<String> shellWords(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'') {
                int end = s.indexOf('\'', i + 1);
                cur.append(s, i + 1, end);
                i = end;
                inWord = true;
            } else if (c == '"') {
                int end = s.indexOf('"', i + 1);
                cur.append(s, i + 1, end);
                i = end;
                inWord = true;
            } else if (c == ' ') {
                if (inWord) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
            } else {
                cur.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            out.add(cur.toString());
        }
        return out;
    }

    /** cat -A notation back to bytes: ^I tab, ^M CR, ^X controls, M-x high bytes. */
    private static void unCatA(String l, ByteArrayOutputStream out) {
        for (int i = 0; i < l.length(); i++) {
            int high = 0;
            if (l.startsWith("M-", i) && i + 2 < l.length()) {
                high = 0x80;
                i += 2;
            }
            char c = l.charAt(i);
            if (c == '^' && i + 1 < l.length()) {
                char n = l.charAt(++i);
                out.write(high | (n == '?' ? 0x7f : n ^ 0x40));
            } else {
                out.write(high | c);
            }
        }
    }
}
