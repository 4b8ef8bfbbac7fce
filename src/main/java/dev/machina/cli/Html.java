package dev.machina.cli;

import java.util.List;

/** Small helpers for the HTML {@code machina docs} writes: escaping, file names, tables. */
final class Html {
    private Html() {}

    /** Text as HTML character data or an attribute value (double-quoted). */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * A name as a file name or fragment that needs no URL escaping and means the same on every file
     * system: letters, digits, {@code .}, {@code -} and {@code _} stay, anything else becomes
     * {@code ~XX} (its UTF-16 code in hex), and a capital letter is preceded by {@code ^} so that
     * {@code PIIX3} and {@code piix3} do not meet on a case-insensitive file system.
     */
    static String slug(String name) {
        StringBuilder b = new StringBuilder(name.length() + 8);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_') {
                b.append(c);
            } else if (c >= 'A' && c <= 'Z') {
                b.append('^').append(c);
            } else {
                b.append('~').append(String.format("%02x", (int) c));
            }
        }
        String s = b.toString();
        return s.startsWith(".") ? "~2e" + s.substring(1) : s;
    }

    /** A table: header cells (escaped) and rows of cells that are HTML already. */
    static void table(StringBuilder b, String cls, List<String> header, List<List<String>> rows) {
        b.append("<div class=\"table-wrap\"><table");
        if (cls != null) {
            b.append(" class=\"").append(cls).append('"');
        }
        b.append("><thead><tr>");
        for (String h : header) {
            b.append("<th scope=\"col\">").append(esc(h)).append("</th>");
        }
        b.append("</tr></thead><tbody>\n");
        for (List<String> r : rows) {
            b.append("<tr>");
            for (String c : r) {
                b.append("<td>").append(c).append("</td>");
            }
            b.append("</tr>\n");
        }
        b.append("</tbody></table></div>\n");
    }

    /** {@code <code>text</code>}, escaped. */
    static String code(String s) {
        return "<code>" + esc(s) + "</code>";
    }

    /** A link. */
    static String a(String href, String text) {
        return "<a href=\"" + esc(href) + "\">" + esc(text) + "</a>";
    }

    /** Text that becomes a JavaScript string or JSON in a {@code <script>}: {@code </} cannot end it. */
    static String scriptSafe(String json) {
        return json.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
    }
}
