package dev.machina.util;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * "Did you mean" suggestions: the known names closest to a misspelt one, by edit distance
 * (Damerau–Levenshtein, case-insensitive), plus names that contain it or that it contains.
 */
public final class Suggest {
    private Suggest() {}

    /**
     * The longest part of a misspelt name that is compared. Names are short; a name of a hundred
     * thousand characters is not a typo of one of them, and comparing all of it would cost
     * {@code length x candidates} steps for nothing.
     */
    static final int MAX_COMPARED = 256;

    /** Up to {@code max} candidates close enough to {@code wrong} to be a likely typo, best first. */
    public static List<String> closest(String wrong, Collection<String> candidates, int max) {
        String w = wrong.toLowerCase(Locale.ROOT);
        int limit = Math.max(2, w.length() / 3);
        record Scored(String name, int score) {}
        List<Scored> scored = new ArrayList<>();
        for (String c : candidates) {
            String lc = c.toLowerCase(Locale.ROOT);
            // the distance is at least the difference in length: far longer or shorter names are not typos
            if (Math.abs(lc.length() - w.length()) <= limit && w.length() <= MAX_COMPARED) {
                int d = distance(w, lc);
                if (d <= limit) {
                    scored.add(new Scored(c, d));
                    continue;
                }
            }
            if (w.length() >= 3 && w.length() <= MAX_COMPARED && (lc.contains(w) || w.contains(lc) && lc.length() >= 3)) {
                scored.add(new Scored(c, limit + 1 + Math.abs(lc.length() - w.length())));
            }
        }
        scored.sort(Comparator.comparingInt(Scored::score).thenComparing(Scored::name));
        List<String> out = new ArrayList<>();
        for (Scored s : scored) {
            if (out.size() == max) {
                break;
            }
            out.add(s.name());
        }
        return out;
    }

    /** "; did you mean 'a'?" or "; did you mean 'a', 'b' or 'c'?" or "" when nothing is close. */
    public static String didYouMean(String wrong, Collection<String> candidates) {
        List<String> best = closest(wrong, candidates, 3);
        if (best.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("; did you mean ");
        for (int i = 0; i < best.size(); i++) {
            if (i > 0) {
                sb.append(i == best.size() - 1 ? " or " : ", ");
            }
            sb.append('\'').append(best.get(i)).append('\'');
        }
        return sb.append('?').toString();
    }

    /**
     * The {@code n} names nearest to {@code wrong} by edit distance, however far: for "closest names"
     * lists. Each distance is computed once, on at most {@link #MAX_COMPARED} characters of {@code wrong}.
     */
    public static List<String> nearest(String wrong, Collection<String> candidates, int n) {
        String lw = wrong.toLowerCase(Locale.ROOT);
        String w = lw.length() > MAX_COMPARED ? lw.substring(0, MAX_COMPARED) : lw;
        record Scored(String name, int score) {}
        List<Scored> scored = new ArrayList<>(candidates.size());
        for (String c : candidates) {
            scored.add(new Scored(c, distance(w, c.toLowerCase(Locale.ROOT))));
        }
        scored.sort(Comparator.comparingInt(Scored::score).thenComparing(Scored::name));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.min(n, scored.size()); i++) {
            out.add(scored.get(i).name());
        }
        return out;
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions, transpositions (three rows, not a matrix). */
    static int distance(String a, String b) {
        int n = a.length();
        int m = b.length();
        int[] twoBack = new int[m + 1];
        int[] back = new int[m + 1];
        int[] row = new int[m + 1];
        for (int j = 0; j <= m; j++) {
            back[j] = j;
        }
        for (int i = 1; i <= n; i++) {
            row[0] = i;
            for (int j = 1; j <= m; j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(back[j] + 1, row[j - 1] + 1), back[j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, twoBack[j - 2] + 1);
                }
                row[j] = v;
            }
            int[] t = twoBack;
            twoBack = back;
            back = row;
            row = t;
        }
        return back[m];
    }
}
