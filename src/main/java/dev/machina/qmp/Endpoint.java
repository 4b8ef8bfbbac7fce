package dev.machina.qmp;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a monitor listens or talks: a unix socket, a TCP socket on a loopback address (another address
 * only with {@code x-machina-remote=on}: a QMP socket controls the whole emulator and has no
 * authentication), or the process's stdio. Read from the {@code -qmp}/{@code -monitor} value
 * ({@code unix:PATH,server=on,wait=off}, {@code tcp:HOST:PORT,server=on,wait=off}, {@code stdio}) or from
 * a {@code -chardev socket,...} / {@code -chardev stdio} definition.
 */
public record Endpoint(Kind kind, String path, String host, int port, boolean waitForClient, String label,
        String filename) {
    public enum Kind { UNIX, TCP, STDIO }

    /** A user error in a monitor's address: one line for the CLI. */
    public static final class BadEndpoint extends dev.machina.util.UserException {
        private static final long serialVersionUID = 1L;

        public BadEndpoint(String message) {
            super(message);
        }
    }

    /**
     * The value of {@code -qmp} or {@code -monitor}; {@code option} names it in messages and
     * {@code label} is the chardev label QEMU gives it ({@code compat_monitor0}).
     */
    public static Endpoint parse(String option, String value, String label) {
        if (value.equals("stdio")) {
            return new Endpoint(Kind.STDIO, null, null, 0, false, label, "stdio");
        }
        int colon = value.indexOf(':');
        String scheme = colon < 0 ? value : value.substring(0, colon);
        String[] parts = (colon < 0 ? "" : value.substring(colon + 1)).split(",", -1);
        Map<String, String> opts = options(option, value, parts, 1);
        switch (scheme) {
            case "unix" -> {
                if (parts[0].isEmpty()) {
                    throw new BadEndpoint(option + " " + value + ": a unix socket needs a path (unix:PATH,server=on,wait=off)");
                }
                opts.put("path", parts[0]);
            }
            case "tcp" -> {
                int c = parts[0].lastIndexOf(':');
                if (c < 0) {
                    throw new BadEndpoint(option + " " + value + ": a TCP socket needs HOST:PORT (tcp:127.0.0.1:4444,server=on,wait=off)");
                }
                opts.put("host", parts[0].substring(0, c));
                opts.put("port", parts[0].substring(c + 1));
            }
            default -> throw new BadEndpoint(option + " " + value + ": Machina's monitors take unix:PATH, tcp:HOST:PORT or stdio");
        }
        return socket(option + " " + value, opts, label);
    }

    /** A {@code -chardev} definition (its keys, {@code backend} among them) as a monitor's endpoint. */
    public static Endpoint fromChardev(Map<String, String> chardev) {
        String id = chardev.get("id");
        String backend = chardev.get("backend");
        String where = "-chardev " + backend + ",id=" + id;
        if ("stdio".equals(backend)) {
            return new Endpoint(Kind.STDIO, null, null, 0, false, id, "stdio");
        }
        if (!"socket".equals(backend)) {
            throw new BadEndpoint(where + ": a monitor needs a socket or stdio chardev");
        }
        return socket(where, new LinkedHashMap<>(chardev), id);
    }

    private static Map<String, String> options(String option, String value, String[] parts, int from) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = from; i < parts.length; i++) {
            String p = parts[i];
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq < 0) { // QEMU's short forms: server, nowait
                if (p.equals("nowait")) {
                    opts.put("wait", "off");
                } else if (p.startsWith("no")) {
                    opts.put(p.substring(2), "off");
                } else {
                    opts.put(p, "on");
                }
            } else {
                opts.put(p.substring(0, eq), p.substring(eq + 1));
            }
        }
        return opts;
    }

    private static Endpoint socket(String where, Map<String, String> o, String label) {
        boolean server = bool(where, o, "server", false);
        boolean wait = bool(where, o, "wait", true);
        boolean remote = bool(where, o, "x-machina-remote", false);
        if (!server) {
            throw new BadEndpoint(where + ": Machina's monitors listen; add server=on,wait=off");
        }
        if (o.containsKey("path")) {
            String path = o.get("path");
            return new Endpoint(Kind.UNIX, path, null, 0, wait, label, "unix:" + path + ",server=on");
        }
        String host = o.getOrDefault("host", "");
        String port = o.get("port");
        if (port == null) {
            throw new BadEndpoint(where + ": a socket needs path= or host= and port=");
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new BadEndpoint(where + ": port '" + port + "' is not a number");
        }
        if (p < 0 || p > 65535) {
            throw new BadEndpoint(where + ": port " + p + " is out of range (0 to 65535)");
        }
        if (host.isEmpty()) {
            host = "0.0.0.0"; // QEMU's meaning of an empty host: every address
        }
        if (!remote && !isLoopback(host)) {
            throw new BadEndpoint(where + ": " + host + " is not a loopback address and QMP has no authentication; "
                    + "use 127.0.0.1 (or add x-machina-remote=on to listen there anyway)");
        }
        return new Endpoint(Kind.TCP, null, host, p, wait, label, "tcp:" + host + ":" + p + ",server=on");
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
    }

    private static boolean bool(String where, Map<String, String> o, String key, boolean dflt) {
        String v = o.get(key);
        if (v == null) {
            return dflt;
        }
        return switch (v) {
            case "on", "yes", "true", "y" -> true;
            case "off", "no", "false", "n" -> false;
            default -> throw new BadEndpoint(where + ": " + key + "=" + v + " is not on or off");
        };
    }
}
