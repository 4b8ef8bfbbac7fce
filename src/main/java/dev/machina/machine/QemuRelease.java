package dev.machina.machine;

import java.util.List;

/**
 * The QEMU release whose facts Machina presents: its property defaults (a type's {@code defaults:} in
 * the data say where one changed) and so every value that starts from a default. Machine types of
 * every version are QEMU's as that release builds them: pc-q35-7.2 under 10.2 is 10.2's defaults with
 * the compat arrays of 7.2 to 10.1, as QEMU 10.2 has it.
 */
public final class QemuRelease {
    private QemuRelease() {}

    /** The newest release whose facts the data has: the one Machina presents unless told otherwise. */
    public static final String NEWEST = "10.2";

    /** The releases the data describes, oldest first. */
    public static final List<String> KNOWN = List.of("7.2", "8.0", "8.1", "8.2", "9.0", "9.1", "9.2", "10.0", "10.1", "10.2");

    /** The environment variable that picks another release: {@code MACHINA_QEMU_VERSION=7.2}. */
    public static final String ENV = "MACHINA_QEMU_VERSION";

    private static volatile java.util.Map<String, String> removedUpstream;

    /**
     * The device types QEMU removed by {@code release} that Machina still declares (machines/qom/
     * device-list-after-qemu72.json "removed": sga in 8.0, pvrdma in 9.1, ...), left out of its type lists.
     */
    public static java.util.Set<String> removedBy(String release) {
        return removedReleases(release).keySet();
    }

    /** machines/qom/device-list-after-qemu72.json as packaged: the types QEMU removed and added after 7.2. */
    private static com.fasterxml.jackson.databind.JsonNode deviceList() {
        try (java.io.InputStream in = QemuRelease.class.getResourceAsStream("/machines/qom/device-list-after-qemu72.json")) {
            if (in == null) {
                throw new IllegalStateException("machines/qom/device-list-after-qemu72.json is not packaged");
            }
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** {@link #removedBy}, each with the release that removed it ("8.0" for sga). */
    public static java.util.Map<String, String> removedReleases(String release) {
        java.util.Map<String, String> m = removedUpstream;
        if (m == null) {
            m = new java.util.LinkedHashMap<>();
            java.util.Map<String, String> out = m;
            deviceList().get("removed").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().get("release").asText()));
            removedUpstream = m;
        }
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        m.forEach((t, r) -> {
            if (compare(r, release) <= 0) {
                out.put(t, r);
            }
        });
        return out;
    }

    /**
     * The release a value of {@link #ENV} names ("7.2", also "7.2.0"), or null when it names none the
     * data describes; an unset or empty value is {@link #NEWEST}.
     */
    public static String parse(String value) {
        if (value == null || value.isEmpty()) {
            return NEWEST;
        }
        String v = value.matches("\\d+\\.\\d+\\.\\d+") ? value.substring(0, value.lastIndexOf('.')) : value;
        return KNOWN.contains(v) ? v : null;
    }

    private static volatile java.util.Map<String, String> addedUpstream;

    /**
     * The device types QEMU added after {@code release} that Machina declares (machines/qom/device-list-after-qemu72.json
     * "added", with "added-abstract" their abstract parents; tools/gen_added_device_types.py), each with the release
     * that has it first: left out of that release's type lists.
     */
    public static java.util.Map<String, String> notYetIn(String release) {
        java.util.Map<String, String> m = addedUpstream;
        if (m == null) {
            m = new java.util.LinkedHashMap<>();
            java.util.Map<String, String> out = m;
            com.fasterxml.jackson.databind.JsonNode d = deviceList();
            d.get("added").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().get("release").asText()));
            if (d.has("added-abstract")) {
                d.get("added-abstract").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
            }
            addedUpstream = m;
        }
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        m.forEach((t, r) -> {
            if (compare(r, release) > 0) {
                out.put(t, r);
            }
        });
        return out;
    }

    /** Orders "X.Y" release names numerically (8.0 before 10.2); a name that is not X.Y sorts first. */
    public static int compare(String a, String b) {
        int[] x = parts(a);
        int[] y = parts(b);
        return x[0] != y[0] ? Integer.compare(x[0], y[0]) : Integer.compare(x[1], y[1]);
    }

    private static int[] parts(String r) {
        int dot = r == null ? -1 : r.indexOf('.');
        if (dot <= 0) {
            return new int[] {-1, -1};
        }
        try {
            return new int[] {Integer.parseInt(r.substring(0, dot)), Integer.parseInt(r.substring(dot + 1))};
        } catch (NumberFormatException e) {
            return new int[] {-1, -1};
        }
    }
}
