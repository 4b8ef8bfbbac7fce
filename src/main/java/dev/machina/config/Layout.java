package dev.machina.config;

import java.util.List;

/**
 * How a section or entry was laid out in a {@code -readconfig} file, so that cfg → cfg conversion
 * keeps comments and blank lines. Everything else about a line is rewritten canonically.
 */
public sealed interface Layout {

    /** Made in code or read from YAML/JSON/HOCON: the writer lays it out canonically. */
    record Canonical() implements Layout {}

    /**
     * Read from a cfg file.
     *
     * @param before  the comment and blank lines just before the header or entry, verbatim, without
     *                their line ends ({@code ""} is a blank line)
     * @param trailer what followed the closing {@code ]} or {@code "} on the same line: blanks and a
     *                {@code #} comment, or ""
     */
    record Kept(List<String> before, String trailer) implements Layout {
        public Kept {
            before = List.copyOf(before);
            trailer = trailer == null ? "" : trailer;
        }
    }

    Layout CANONICAL = new Canonical();
}
