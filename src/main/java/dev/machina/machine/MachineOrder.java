package dev.machina.machine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Orders of machine names. {@link #NATURAL} compares runs of digits as numbers, so versions sort as
 * versions: {@code pc-i440fx-2.12} after {@code pc-i440fx-2.9}, {@code pc-q35-4.0.1} after
 * {@code pc-q35-4.0}. {@link #HELP} is QEMU's {@code -machine help} order with that one change:
 * families by name, each newest first, then the machines without a family by name.
 */
public final class MachineOrder {
    private MachineOrder() {}

    public static final Comparator<String> NATURAL = MachineOrder::compareNatural;

    /** A machine as {@code -machine help} sorts it: QEMU's family string (or none) and its name. */
    public record Entry(String name, String qemuFamily) {}

    public static final Comparator<Entry> HELP = (a, b) -> {
        if (a.qemuFamily() == null || b.qemuFamily() == null) {
            if (a.qemuFamily() == null && b.qemuFamily() == null) {
                return compareNatural(a.name(), b.name());
            }
            return a.qemuFamily() == null ? 1 : -1; // families first
        }
        int c = a.qemuFamily().compareTo(b.qemuFamily());
        return c != 0 ? c : compareNatural(b.name(), a.name()); // newest first within a family
    };

    private static List<Object> chunks(String s) {
        List<Object> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            int j = i;
            boolean digits = Character.isDigit(s.charAt(i));
            while (j < s.length() && Character.isDigit(s.charAt(j)) == digits) {
                j++;
            }
            String part = s.substring(i, j);
            out.add(digits ? (Object) new java.math.BigInteger(part) : part);
            i = j;
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static int compareNatural(String a, String b) {
        List<Object> x = chunks(a);
        List<Object> y = chunks(b);
        for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
            Object p = x.get(i);
            Object q = y.get(i);
            int c;
            if (p.getClass() == q.getClass()) {
                c = ((Comparable<Object>) p).compareTo(q);
            } else {
                c = p instanceof String ? 1 : -1; // a number sorts before text at the same place
            }
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.size(), y.size());
    }
}
