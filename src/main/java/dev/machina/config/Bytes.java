package dev.machina.config;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Byte ↔ text helpers for readers that must see a file's bytes as QEMU does. */
final class Bytes {
    private Bytes() {}

    /** Each byte as one char (U+0000..U+00FF): lossless, for byte-level work. */
    static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** The bytes as UTF-8, or empty when they are not valid UTF-8. */
    static Optional<String> utf8(byte[] b, int from, int to) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, from, to - from)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    static Optional<String> utf8(byte[] b) {
        return utf8(b, 0, b.length);
    }
}
