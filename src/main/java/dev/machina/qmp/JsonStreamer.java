package dev.machina.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a QMP input stream as QEMU 7.2 does (qobject/json-lexer.c, json-streamer.c, json-parser.c), with
 * the same errors for the same bytes: a lexer turns bytes into tokens; a byte no token can take is an
 * error token ("JSON parse error, stray '...'", the bytes since the token began), after which input is
 * skipped up to a structural character ({@code [ ] { } : ,}), a control character other than tab, or a
 * byte 0xFE/0xFF; the streamer collects tokens until the braces and brackets balance (a stray error drops
 * what it had collected) and the parser turns them into one value or the first of QEMU's errors
 * ("expecting value", "missing : in object pair", "invalid UTF-8 sequence in string", ...).
 * Strings take single quotes as well, and their text is QEMU's modified UTF-8 ({@code \xC0\x80} is
 * U+0000; surrogates, noncharacters and overlong forms are errors). QEMU's limits apply: a message whose
 * tokens exceed 64 MiB or 2 Mi tokens, or nested deeper than 1024, is answered with an error and the
 * streamer starts afresh (a single token that outgrows 64 MiB is cut off the same way as it grows).
 */
final class JsonStreamer {
    static final int MAX_SIZE = 64 << 20;
    static final int MAX_TOKENS = 2 << 20;
    static final int MAX_NESTING = 1024;

    interface Sink {
        void message(JsonNode msg);

        void error(String desc);
    }

    // token types
    private static final int LCURLY = 1, RCURLY = 2, LSQUARE = 3, RSQUARE = 4, COLON = 5, COMMA = 6, INTEGER = 7, FLOAT = 8,
            KEYWORD = 9, STRING = 10;
    // lexer states
    private static final int START = 0, DQ = 1, DQ_ESCAPE = 2, SQ = 3, SQ_ESCAPE = 4, SIGN = 5, ZERO = 6, DIGITS = 7, POINT = 8,
            FRACTION = 9, EXP = 10, EXP_SIGN = 11, EXP_DIGITS = 12, WORD = 13, RECOVERY = 14;

    private record Token(int type, byte[] text) {}

    private final Sink sink;
    private int state = START;
    private final ByteArrayOutputStream token = new ByteArrayOutputStream();
    private final List<Token> tokens = new ArrayList<>();
    private int braces;
    private int brackets;
    private long size;

    JsonStreamer(Sink sink) {
        this.sink = sink;
    }

    /** Bytes not yet part of a complete message (a client that sends half a message holds this much). */
    int pending() {
        return (int) Math.min(Integer.MAX_VALUE, size + token.size());
    }

    void feed(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            lex(b[i] & 0xFF);
        }
    }

    /** The end of the input: a pending number or keyword ends there; an unfinished object or string is dropped. */
    void end() {
        switch (state) {
            case ZERO, DIGITS -> terminal(INTEGER);
            case FRACTION, EXP_DIGITS -> terminal(FLOAT);
            case WORD -> terminal(KEYWORD);
            default -> { }
        }
        token.reset();
        state = START;
        tokens.clear();
        braces = 0;
        brackets = 0;
        size = 0;
    }

    private static boolean digit(int c) {
        return c >= '0' && c <= '9';
    }

    private void lex(int c) {
        while (true) {
            switch (state) {
                case START -> {
                    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                        return;
                    }
                    token.write(c);
                    switch (c) {
                        case '"' -> state = DQ;
                        case '\'' -> state = SQ;
                        case '0' -> state = ZERO;
                        case '-' -> state = SIGN;
                        case '{' -> terminal(LCURLY);
                        case '}' -> terminal(RCURLY);
                        case '[' -> terminal(LSQUARE);
                        case ']' -> terminal(RSQUARE);
                        case ':' -> terminal(COLON);
                        case ',' -> terminal(COMMA);
                        default -> {
                            if (c >= '1' && c <= '9') {
                                state = DIGITS;
                            } else if (c >= 'a' && c <= 'z') {
                                state = WORD;
                            } else {
                                stray();
                            }
                        }
                    }
                    return;
                }
                case DQ, SQ -> {
                    token.write(c);
                    if (c == (state == DQ ? '"' : '\'')) {
                        terminal(STRING);
                    } else if (c == '\\') {
                        state = state == DQ ? DQ_ESCAPE : SQ_ESCAPE;
                    } else if (c < 0x20 || c > 0xFD) {
                        stray();
                    } else if (token.size() > MAX_SIZE) {
                        tooLong();
                    }
                    return;
                }
                case DQ_ESCAPE, SQ_ESCAPE -> {
                    token.write(c);
                    if (c < 0x20 || c > 0xFD) {
                        stray();
                    } else {
                        state = state == DQ_ESCAPE ? DQ : SQ; // the parser checks the escape
                    }
                    return;
                }
                case SIGN -> {
                    token.write(c);
                    if (c == '0') {
                        state = ZERO;
                    } else if (c >= '1' && c <= '9') {
                        state = DIGITS;
                    } else {
                        stray();
                    }
                    return;
                }
                case ZERO, DIGITS -> {
                    if (c == '.') {
                        token.write(c);
                        state = POINT;
                        return;
                    } else if (c == 'e' || c == 'E') {
                        token.write(c);
                        state = EXP;
                        return;
                    } else if (digit(c)) {
                        token.write(c);
                        if (state == ZERO) {
                            stray(); // a leading zero: "01" is no number
                        } else if (token.size() > MAX_SIZE) {
                            tooLong();
                        }
                        return;
                    }
                    terminal(INTEGER); // and c starts what follows
                }
                case POINT, EXP_SIGN -> {
                    token.write(c);
                    if (digit(c)) {
                        state = state == POINT ? FRACTION : EXP_DIGITS;
                    } else {
                        stray();
                    }
                    return;
                }
                case FRACTION, EXP_DIGITS -> {
                    if (digit(c) || (state == FRACTION && (c == 'e' || c == 'E'))) {
                        token.write(c);
                        if (!digit(c)) {
                            state = EXP;
                        } else if (token.size() > MAX_SIZE) {
                            tooLong();
                        }
                        return;
                    }
                    terminal(FLOAT);
                }
                case EXP -> {
                    token.write(c);
                    if (c == '+' || c == '-') {
                        state = EXP_SIGN;
                    } else if (digit(c)) {
                        state = EXP_DIGITS;
                    } else {
                        stray();
                    }
                    return;
                }
                case WORD -> {
                    if (c >= 'a' && c <= 'z') {
                        token.write(c);
                        if (token.size() > MAX_SIZE) {
                            tooLong();
                        }
                        return;
                    }
                    terminal(KEYWORD);
                }
                default -> { // RECOVERY
                    if ((c < 0x20 && c != '\t') || c >= 0xFE || c == '[' || c == ']' || c == '{' || c == '}' || c == ':' || c == ',') {
                        state = START; // a point to start afresh: c is read again from there
                    } else {
                        return;
                    }
                }
            }
        }
    }

    /** A byte no token takes: the bytes since the token began are an error, and input is skipped to a resynchronization point. */
    private void stray() {
        byte[] text = token.toByteArray();
        token.reset();
        state = RECOVERY;
        error("JSON parse error, stray '" + text(text) + "'");
    }

    private void tooLong() {
        token.reset();
        state = RECOVERY;
        error("JSON token size limit exceeded");
    }

    private void error(String desc) {
        tokens.clear();
        braces = 0;
        brackets = 0;
        size = 0;
        sink.error(desc);
    }

    /** A complete token (the lexer starts afresh): the streamer's part. */
    private void terminal(int type) {
        byte[] text = token.toByteArray();
        token.reset();
        state = START;
        switch (type) {
            case LCURLY -> braces++;
            case RCURLY -> braces--;
            case LSQUARE -> brackets++;
            case RSQUARE -> brackets--;
            default -> { }
        }
        if (size + text.length + 1 > MAX_SIZE) {
            error("JSON token size limit exceeded");
            return;
        }
        if (tokens.size() + 1 > MAX_TOKENS) {
            error("JSON token count limit exceeded");
            return;
        }
        if (braces + brackets > MAX_NESTING) {
            error("JSON nesting depth limit exceeded");
            return;
        }
        size += text.length;
        tokens.add(new Token(type, text));
        if ((braces > 0 || brackets > 0) && braces >= 0 && brackets >= 0) {
            return;
        }
        Parser p = new Parser(new ArrayList<>(tokens));
        tokens.clear();
        braces = 0;
        brackets = 0;
        size = 0;
        JsonNode value;
        try {
            value = p.value();
        } catch (ParseError e) {
            sink.error("JSON parse error, " + e.getMessage());
            return;
        }
        sink.message(value);
    }

    private static final class ParseError extends Exception {
        ParseError(String message) {
            super(message, null, false, false);
        }
    }

    /** QEMU's recursive-descent parser over one message's tokens; the first error ends it. */
    private static final class Parser {
        private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
        private final List<Token> tokens;
        private int next;

        Parser(List<Token> tokens) {
            this.tokens = tokens;
        }

        private Token peek() throws ParseError {
            if (next >= tokens.size()) {
                throw new ParseError("premature EOI");
            }
            return tokens.get(next);
        }

        private Token pop() throws ParseError {
            Token t = peek();
            next++;
            return t;
        }

        JsonNode value() throws ParseError {
            Token t = peek();
            switch (t.type()) {
                case LCURLY:
                    return object();
                case LSQUARE:
                    return array();
                case INTEGER:
                case FLOAT:
                    next++;
                    return number(t);
                case STRING:
                    next++;
                    return NODES.textNode(string(t.text()));
                case KEYWORD:
                    next++;
                    String k = new String(t.text(), java.nio.charset.StandardCharsets.US_ASCII);
                    switch (k) {
                        case "true":
                            return NODES.booleanNode(true);
                        case "false":
                            return NODES.booleanNode(false);
                        case "null":
                            return NODES.nullNode();
                        default:
                            throw new ParseError("invalid keyword '" + k + "'");
                    }
                default:
                    throw new ParseError("expecting value");
            }
        }

        private ObjectNode object() throws ParseError {
            ObjectNode o = NODES.objectNode();
            next++; // {
            if (peek().type() == RCURLY) {
                next++;
                return o;
            }
            pair(o);
            Token t = pop();
            while (t.type() != RCURLY) {
                if (t.type() != COMMA) {
                    throw new ParseError("expected separator in dict");
                }
                pair(o);
                t = pop();
            }
            return o;
        }

        private void pair(ObjectNode o) throws ParseError {
            peek();
            JsonNode key = value();
            if (!key.isTextual()) {
                throw new ParseError("key is not a string in object");
            }
            if (pop().type() != COLON) {
                throw new ParseError("missing : in object pair");
            }
            JsonNode v = value();
            if (o.has(key.textValue())) {
                throw new ParseError("duplicate key");
            }
            o.set(key.textValue(), v);
        }

        private ArrayNode array() throws ParseError {
            ArrayNode a = NODES.arrayNode();
            next++; // [
            if (peek().type() == RSQUARE) {
                next++;
                return a;
            }
            a.add(value());
            Token t = pop();
            while (t.type() != RSQUARE) {
                if (t.type() != COMMA) {
                    throw new ParseError("expected separator in list");
                }
                a.add(value());
                t = pop();
            }
            return a;
        }

        /** An integer as a signed 64-bit value if it is one, else an unsigned one, else (as a float is) a double. */
        private static JsonNode number(Token t) {
            String s = new String(t.text(), java.nio.charset.StandardCharsets.US_ASCII);
            if (t.type() == INTEGER) {
                try {
                    return NODES.numberNode(Long.parseLong(s));
                } catch (NumberFormatException e) {
                    if (s.charAt(0) != '-') {
                        BigInteger u = new BigInteger(s);
                        if (u.bitLength() <= 64) {
                            return NODES.numberNode(u);
                        }
                    }
                }
            }
            return NODES.numberNode(Double.parseDouble(s));
        }

        /** A string token's text (its quotes included) as QEMU's parse_string reads it. */
        private static String string(byte[] b) throws ParseError {
            StringBuilder sb = new StringBuilder();
            int quote = b[0];
            int p = 1;
            while (b[p] != quote) {
                if (b[p] == '\\') {
                    int beg = p;
                    p++;
                    int c = b[p++];
                    switch (c) {
                        case '"', '\'', '\\', '/' -> sb.append((char) c);
                        case 'b' -> sb.append('\b');
                        case 'f' -> sb.append('\f');
                        case 'n' -> sb.append('\n');
                        case 'r' -> sb.append('\r');
                        case 't' -> sb.append('\t');
                        case 'u' -> {
                            int cp = hex4(b, p);
                            p += 4;
                            if (cp >= 0xD800 && cp <= 0xDBFF && p + 1 < b.length && b[p] == '\\' && b[p + 1] == 'u') {
                                int trailing = hex4(b, p + 2);
                                if (trailing >= 0xDC00 && trailing <= 0xDFFF) {
                                    cp = 0x10000 + ((cp & 0x3FF) << 10 | (trailing & 0x3FF));
                                    p += 6;
                                }
                            }
                            if (!validCodepoint(cp)) {
                                // the escape as written, up to the end of the token
                                throw new ParseError(text(java.util.Arrays.copyOfRange(b, beg, Math.min(p, b.length))) + " is not a valid Unicode character");
                            }
                            sb.appendCodePoint(cp);
                        }
                        default -> throw new ParseError("invalid escape sequence in string");
                    }
                } else {
                    long r = codepoint(b, p);
                    int cp = (int) (r >> 32);
                    if (cp < 0) {
                        throw new ParseError("invalid UTF-8 sequence in string");
                    }
                    sb.appendCodePoint(cp);
                    p = (int) r;
                }
            }
            return sb.toString();
        }

        private static int hex4(byte[] b, int p) {
            int cp = 0;
            for (int i = 0; i < 4; i++) {
                int c = p + i < b.length ? b[p + i] : 0;
                int d = Character.digit(c, 16);
                if (c > 0x7F || d < 0) {
                    return -1;
                }
                cp = cp << 4 | d;
            }
            return cp;
        }
    }

    /** Unicode's code points less surrogates and noncharacters (QEMU's is_valid_codepoint, util/unicode.c). */
    private static boolean validCodepoint(int cp) {
        return cp >= 0 && cp <= 0x10FFFF && !(cp >= 0xFDD0 && cp <= 0xFDEF) && (cp & 0xFFFE) != 0xFFFE && !(cp >= 0xD800 && cp <= 0xDFFF);
    }

    /**
     * One code point of modified UTF-8 at {@code b[p]} as QEMU's mod_utf8_codepoint reads it: the code point
     * (-1 for an invalid sequence) in the high 32 bits, the index after what it took in the low 32.
     */
    private static long codepoint(byte[] b, int p) {
        final int[] minCp = {0x80, 0x800, 0x10000, 0x200000, 0x4000000};
        int c = b[p++] & 0xFF;
        int cp;
        if (c < 0x80) {
            cp = c;
        } else if (c >= 0xFE || (c & 0x40) == 0) {
            cp = -1; // an impossible byte, or a continuation byte without a start
        } else {
            int len = 0;
            int mask = 0x80;
            for (; (c & mask) != 0; mask >>= 1) {
                len++;
            }
            cp = c & (mask - 1);
            for (int i = 1; i < len; i++) {
                int d = p < b.length ? b[p] & 0xFF : 0;
                if ((d & 0xC0) != 0x80) {
                    return ((long) -1 << 32) | p; // a continuation byte missing
                }
                p++;
                cp = cp << 6 | (d & 0x3F);
            }
            if (!validCodepoint(cp) || (cp < minCp[len - 2] && !(cp == 0 && len == 2))) {
                cp = -1; // overlong (but for \xC0\x80), a surrogate or a noncharacter
            }
        }
        return ((long) cp << 32) | (p & 0xFFFFFFFFL);
    }

    /**
     * Bytes as QEMU's error text carries them: up to a NUL byte (the C string ends there), each invalid
     * sequence read as U+FFFD as qobject_to_json writes it.
     */
    private static String text(byte[] b) {
        StringBuilder sb = new StringBuilder();
        int p = 0;
        int to = 0;
        while (to < b.length && b[to] != 0) {
            to++;
        }
        b = java.util.Arrays.copyOf(b, to);
        while (p < to) {
            long r = codepoint(b, p);
            int cp = (int) (r >> 32);
            sb.appendCodePoint(cp < 0 ? 0xFFFD : cp);
            p = Math.max((int) r, p + 1);
        }
        return sb.toString();
    }
}
