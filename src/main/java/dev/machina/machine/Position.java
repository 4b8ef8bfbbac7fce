package dev.machina.machine;

/**
 * Where something is in a data file: the file as the user named it, 1-based line and column, and the
 * object path inside the document ({@code versions[3].compat[1]}; empty for the document itself).
 */
public record Position(String file, int line, int column, String path) {
    public static Position of(String file) {
        return new Position(file, 0, 0, "");
    }

    /** {@code file:line:col}, or just the file when there is no line. */
    public String location() {
        return line == 0 ? file : file + ":" + line + ":" + column;
    }

    /** {@code file:line} (the column is noise in a table), or just the file when there is no line. */
    public String fileLine() {
        return line == 0 ? file : file + ":" + line;
    }

    @Override
    public String toString() {
        return location();
    }
}
