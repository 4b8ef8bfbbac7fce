package dev.machina.util;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reading files a user names without trusting their size: at most a limit of bytes is read (so
 * {@code /dev/zero}, a FIFO or a 50 GB file cost the limit, not all memory), lines are read up to a
 * length, and UTF-8 is decoded strictly with the line and column of the first bad byte. Every
 * refusal says the limit and where in the file it was crossed.
 */
public final class BoundedInput {
    private BoundedInput() {}

    /** What was read: the bytes (at most the limit) and whether the file had more. */
    public record Read(byte[] bytes, boolean tooLarge) {}

    /** Reads at most {@code limit} bytes of a file; {@link Read#tooLarge()} says whether there was more. */
    public static Read read(Path path, int limit) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return read(in, limit);
        }
    }

    /** Reads at most {@code limit} bytes of a stream. */
    public static Read read(InputStream in, int limit) throws IOException {
        byte[] b = in.readNBytes(limit + 1);
        if (b.length > limit) {
            return new Read(java.util.Arrays.copyOf(b, limit), true);
        }
        return new Read(b, false);
    }

    /** The 1-based line of the byte at {@code offset} (the number of line feeds before it, plus one). */
    public static int lineAt(byte[] bytes, int offset) {
        int line = 1;
        for (int i = 0; i < Math.min(offset, bytes.length); i++) {
            if (bytes[i] == '\n') {
                line++;
            }
        }
        return line;
    }

    /** The 1-based column (in bytes) of the byte at {@code offset}. */
    public static int columnAt(byte[] bytes, int offset) {
        int col = 1;
        for (int i = Math.min(offset, bytes.length) - 1; i >= 0 && bytes[i] != '\n'; i--) {
            col++;
        }
        return col;
    }

    /** A size as people write it: {@code 16 MiB}, {@code 64 KiB}, {@code 100 bytes}. */
    public static String size(long bytes) {
        if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " bytes";
    }

    /**
     * Where {@code text} has its first run of more than {@code limit} characters without a space,
     * tab or line break, as a 1-based {line, column}, or null. Parsers that keep a token in a window
     * they copy as it grows (SnakeYAML) take time that grows with the square of such a run.
     */
    public static int[] longRun(CharSequence text, int limit) {
        int line = 1;
        int lineStart = 0;
        int run = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                lineStart = i + 1;
                run = 0;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                run = 0;
            } else if (++run > limit) {
                return new int[] {line, i - run + 2 - lineStart};
            }
        }
        return null;
    }

    /** Text that is not UTF-8: the line and column (1-based, the column in bytes) of the first bad byte. */
    public static final class NotUtf8 extends Exception {
        private final int line;
        private final int column;

        NotUtf8(int line, int column) {
            super("not UTF-8 text (the first bad byte is at line " + line + ", column " + column + ")", null, false, false);
            this.line = line;
            this.column = column;
        }

        public int line() {
            return line;
        }

        public int column() {
            return column;
        }
    }

    /** Decodes UTF-8 strictly (a malformed or unmappable byte is an error, never a replacement character). */
    public static String utf8(byte[] bytes) throws NotUtf8 {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = d.decode(in, out, true);
        if (r.isError()) {
            int at = in.position();
            throw new NotUtf8(lineAt(bytes, at), columnAt(bytes, at));
        }
        r = d.flush(out);
        if (r.isError()) {
            throw new NotUtf8(lineAt(bytes, bytes.length), columnAt(bytes, bytes.length));
        }
        return out.flip().toString();
    }

    /** A line longer than the limit: its 1-based number. */
    public static final class LineTooLong extends IOException {
        private final int line;
        private final int limit;

        LineTooLong(int line, int limit) {
            super("line " + line + " is longer than " + limit + " characters", null);
            this.line = line;
            this.limit = limit;
        }

        public int line() {
            return line;
        }

        public int limit() {
            return limit;
        }
    }

    /**
     * Lines of text, each at most a limit of characters: {@code BufferedReader.readLine()} would
     * grow one line without end on input with no line feed ({@code /dev/zero}, a gzip bomb).
     */
    public static final class Lines {
        private final Reader in;
        private final int limit;
        private final char[] buf = new char[1 << 16];
        private int pos;
        private int end;
        private int number;

        public Lines(Reader in, int limit) {
            this.in = in;
            this.limit = limit;
        }

        /** The number of the line {@link #next()} returned last (1-based). */
        public int number() {
            return number;
        }

        /** The next line without its line end ({@code \n} or {@code \r\n}), or null at the end of the input. */
        public String next() throws IOException {
            StringBuilder b = null;
            while (true) {
                if (pos == end) {
                    end = in.read(buf, 0, buf.length);
                    pos = 0;
                    if (end <= 0) {
                        end = 0;
                        if (b == null) {
                            return null;
                        }
                        number++;
                        return strip(b);
                    }
                }
                int start = pos;
                while (pos < end && buf[pos] != '\n') {
                    pos++;
                }
                if (b == null) {
                    b = new StringBuilder(Math.min(pos - start + 16, limit + 2));
                }
                b.append(buf, start, pos - start);
                if (b.length() > limit + 1) { // +1: a CR before the LF is not counted
                    throw new LineTooLong(number + 1, limit);
                }
                if (pos < end) {
                    pos++; // the LF
                    number++;
                    String line = strip(b);
                    if (line.length() > limit) {
                        throw new LineTooLong(number, limit);
                    }
                    return line;
                }
            }
        }

        private static String strip(StringBuilder b) {
            int n = b.length();
            return n > 0 && b.charAt(n - 1) == '\r' ? b.substring(0, n - 1) : b.toString();
        }
    }
}
