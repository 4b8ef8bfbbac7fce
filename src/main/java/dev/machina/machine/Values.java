package dev.machina.machine;

import dev.machina.qom.BadValue;
import dev.machina.qom.PropertyType;

/** Taking property values from YAML data, and showing data in messages. */
final class Values {
    private Values() {}

    /**
     * {@link PropertyType#fromData}, except that a number given for a string-typed value is taken by
     * its digits (YAML reads {@code 1} as a number; {@code default-cpu-version: 1} means the text "1").
     */
    static Object fromData(PropertyType type, Object data) throws BadValue {
        if (type instanceof PropertyType.StrType && data instanceof Number n) {
            return type.parse(n.toString());
        }
        return type.fromData(data);
    }

    /** Data as the user would have written it, for messages. */
    static String text(Object data) {
        if (data == null) {
            return "null";
        }
        return String.valueOf(data);
    }
}
