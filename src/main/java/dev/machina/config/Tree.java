package dev.machina.config;

import java.util.List;

/**
 * A format-neutral document tree with positions: what the YAML, JSON and HOCON readers turn their
 * parser's output into, so that one {@link TreeReader} builds sections from all three.
 */
sealed interface Tree {
    Origin origin();

    /** A scalar as text (YAML plain scalars as written, JSON numbers as written, booleans as on/off). */
    record Scalar(String text, Origin origin) implements Tree {}

    /** A mapping, in document order; {@code keyOrigin} is where each key was written. */
    record Mapping(List<Field> fields, Origin origin) implements Tree {}

    record Field(String key, Origin keyOrigin, Tree value) {}

    record Sequence(List<Tree> items, Origin origin) implements Tree {}

    /** An explicit null, or a YAML key with nothing after it. */
    record Null(Origin origin) implements Tree {}
}
