package dev.machina.config;

import java.util.Objects;

/** Where a section or an entry came from: a place in a file, a command-line argument, or Machina itself. */
public sealed interface Origin {

    /** How a message names this place, e.g. {@code vm.cfg:3:5} or {@code -device isa-serial,iobasee=1}. */
    String describe();

    /**
     * A place in a file.
     *
     * @param file   the path as the user gave it
     * @param line   1-based line
     * @param column 1-based column, 0 when the format does not say (HOCON gives lines only)
     */
    record InFile(String file, int line, int column) implements Origin {
        public InFile {
            Objects.requireNonNull(file, "file");
        }

        @Override
        public String describe() {
            return file + ":" + line + (column > 0 ? ":" + column : "");
        }
    }

    /**
     * A command-line option.
     *
     * @param index  0-based position of the option name in the argument list
     * @param option the option as written, e.g. {@code -device}
     * @param value  its argument, or "" for a flag
     */
    record Argument(int index, String option, String value) implements Origin {
        public Argument {
            Objects.requireNonNull(option, "option");
            value = value == null ? "" : value;
        }

        @Override
        public String describe() {
            return value.isEmpty() ? option : option + " " + value;
        }
    }

    /** Supplied by Machina, e.g. a default value in {@code --resolved} output; {@code what} says which. */
    record Derived(String what) implements Origin {
        @Override
        public String describe() {
            return what;
        }
    }

    /** For sections built in code (tests, generated configs). */
    Origin NONE = new Derived("(no origin)");
}
