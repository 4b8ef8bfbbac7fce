package dev.machina.config;

/** QEMU's {@code id_wellformed()}: a letter first, then letters, digits, '-', '.' and '_'. */
public final class IdRules {
    private IdRules() {}

    public static final String RULE = "an id starts with a letter and has only letters, digits, '-', '.' and '_'";

    public static boolean wellFormed(String id) {
        if (id.isEmpty() || !isAsciiLetter(id.charAt(0))) {
            return false;
        }
        for (int i = 1; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(isAsciiLetter(c) || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }
}
