package dev.machina.config;

import dev.machina.config.OptionGroup.ParamType;
import dev.machina.qom.BadValue;
import dev.machina.qom.ValueParsers;

/**
 * QemuOpts' typed values ({@code util/qemu-option.c} {@code qemu_opt_parse}) with QEMU 7.2's messages,
 * and the same checks as our diagnostics.
 */
final class QemuValues {
    private QemuValues() {}

    /** QEMU 7.2's error for a value of a QemuOpts key, or null when QEMU accepts it. */
    static String checkOpt(String key, ParamType type, String value) {
        return switch (type) {
            case STRING -> null;
            case BOOL -> check(ParamType.BOOL, value) == null ? null : "Parameter '" + key + "' expects 'on' or 'off'";
            case NUMBER -> number(value) ? null : "Parameter '" + key + "' expects a number";
            case SIZE -> size72(value) ? null : "Parameter '" + key + "' expects a non-negative number below 2^64";
        };
    }

    /** {@code qemu_strtou64(value, NULL, 0)}: base 0, blanks and a sign allowed, a negative value wraps. */
    static boolean number(String v) {
        try {
            ValueParsers.parseInteger(v, 64, false);
            return true;
        } catch (BadValue e) {
            String t = v.strip();
            if (t.startsWith("-")) {
                try {
                    ValueParsers.parseInteger(t.substring(1), 64, false);
                    return true;
                } catch (BadValue e2) {
                    return false;
                }
            }
            return false;
        }
    }

    /** {@code qemu_strtosz} of 7.2: as {@link ValueParsers#parseSize}, but hex with a suffix is accepted (7.2 only warns). */
    static boolean size72(String v) {
        try {
            ValueParsers.parseSize(v);
            return true;
        } catch (BadValue e) {
            return hexWithSuffix(v);
        }
    }

    static boolean hexWithSuffix(String v) {
        return v.strip().matches("\\+?0[xX][0-9a-fA-F]+[bBkKmMgGtTpPeE]");
    }

    /** Our check of a typed key: null when fine, else the reason and what would be right. */
    static BadValue check(ParamType type, String value) {
        try {
            switch (type) {
                case STRING -> { }
                case BOOL -> ValueParsers.parseBool(value);
                case NUMBER -> ValueParsers.parseInteger(value, 64, false);
                case SIZE -> ValueParsers.parseSize(value);
                default -> throw new IllegalStateException();
            }
            return null;
        } catch (BadValue e) {
            return e;
        }
    }
}
