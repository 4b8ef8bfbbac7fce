package dev.machina.config;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Options whose whole argument QEMU 7.2 reads as one string, checked as QEMU reads them: a character device
 * spec (-serial, -parallel, -monitor, -qmp, -qmp-pretty, -debugcon, -gdb: qemu_chr_parse_compat in
 * chardev/char.c), -usbdevice names, -seed, -d, -dfilter, -incoming. Each check gives QEMU 7.2's words (each
 * case run with qemu-system-x86_64 7.2.22; /work/coord/walk-cfg16.md) or nothing when QEMU takes the value.
 * What QEMU can only tell on the host that runs it (a file that opens, a port that is free) is not checked here.
 */
final class WholeValues {
    private WholeValues() {}

    /** A refusal: the message (QEMU's words when {@code words}) and what would be right. */
    record Bad(String message, String fix, boolean words) {
        Bad(String message, String fix) {
            this(message, fix, true);
        }

        /** The message as Machina prints it, saying where the words are QEMU's. */
        String text() {
            return words ? message + " (QEMU 7.2's words)" : message;
        }
    }

    /** Backends qemu_chr_parse_compat takes by their bare name. */
    private static final Set<String> BARE = Set.of("null", "pty", "msmouse", "wctablet", "braille", "testdev", "stdio");

    /**
     * A character device spec as qemu_chr_new_noreplay and qemu_chr_parse_compat of QEMU 7.2 read it: chardev:ID, an
     * optional mon: prefix, then a bare backend name, vc[:WxH|:COLSCxROWSC], file:, pipe:, COM..., tcp:/telnet:/tn3270:/
     * websocket:HOST:PORT[,OPTIONS], udp:[HOST]:PORT[@[HOST]:PORT], unix:PATH[,OPTIONS] or /dev/...; the OPTIONS are
     * QemuOpts of the chardev group (an unknown key is "Invalid parameter 'nosuchkey'", a bool "expects 'on' or 'off'").
     */
    static Optional<Bad> charSpec(String spec) {
        if (spec.startsWith("chardev:")) {
            return Optional.empty(); // the reference is checked with the other chardev references
        }
        String s = spec.startsWith("mon:") ? spec.substring(4) : spec;
        if (BARE.contains(s) || s.startsWith("file:") || s.startsWith("pipe:") || s.startsWith("COM") || s.startsWith("/dev/")) {
            return Optional.empty();
        }
        if (s.equals("con:")) {
            return Optional.of(new Bad("'console' is not a valid char driver name", "con: is a Windows console; use stdio or vc"));
        }
        if (s.startsWith("vc")) {
            String p = s.substring(2);
            if (p.startsWith(":") && !p.substring(1).matches("[0-9]{1,7}x[0-9]{1,7}.*|[0-9]{1,7}Cx[0-9]{1,7}C.*")) {
                return Optional.of(new Bad("QEMU 7.2 cannot connect to character backend '" + spec + "': the size is neither WxH nor COLSCxROWSC",
                        "write vc, vc:WIDTHxHEIGHT or vc:COLSCxROWSC", false));
            }
            return Optional.empty();
        }
        for (String prefix : List.of("tcp:", "telnet:", "tn3270:", "websocket:")) {
            if (s.startsWith(prefix)) {
                String p = s.substring(prefix.length());
                int colon = p.indexOf(':');
                int comma = p.indexOf(',');
                if (colon < 0 || comma >= 0 && comma < colon || colon + 1 >= p.length() || p.charAt(colon + 1) == ',') {
                    return Optional.of(new Bad("QEMU 7.2 cannot connect to character backend '" + spec + "': it needs HOST:PORT or :PORT", "write "
                            + prefix + "HOST:PORT or " + prefix + ":PORT, then ,server=on,wait=off and other chardev options", false));
                }
                return comma < 0 ? Optional.empty() : options(p.substring(comma + 1), null);
            }
        }
        if (s.startsWith("udp:")) {
            boolean ok = s.substring(4).matches("[^:@,]*:[^@,]+(@[^:,]*:[^,]+)?.*");
            return ok ? Optional.empty() : Optional.of(new Bad("QEMU 7.2 cannot connect to character backend '" + spec
                    + "': it needs [HOST]:PORT", "write udp:[HOST]:PORT[@[LOCALHOST]:LOCALPORT]", false));
        }
        if (s.startsWith("unix:")) {
            return options(s.substring(5), "path");
        }
        return Optional.of(new Bad("'" + s + "' is not a valid char driver", "name a character device: null, stdio, pty, vc, file:PATH, "
                + "pipe:PATH, tcp:HOST:PORT,server=on,wait=off, unix:PATH, udp:HOST:PORT, /dev/DEVICE, chardev:ID, none (where it is taken)"));
    }

    /** The chardev QemuOpts after a tcp:/unix: spec (qemu_opts_do_parse with the chardev group's descriptors). */
    private static Optional<Bad> options(String rest, String implied) {
        OptionGroup g = OptionGroups.find("chardev").orElseThrow();
        for (OptionSyntax.Element e : OptionSyntax.qemuOpts(rest, implied, false).elements()) {
            if (e.key().equals("id") || e.kind() == OptionSyntax.Element.Kind.IMPLIED) {
                continue;
            }
            OptionGroup.Param p = g.params().get(e.key());
            if (p == null) {
                return Optional.of(new Bad("Invalid parameter '" + e.key() + "'", "the chardev options are "
                        + String.join(", ", new java.util.TreeSet<>(g.params().keySet()))));
            }
            if (p.type() == OptionGroup.ParamType.BOOL && bool(e.value()).isEmpty()) {
                return Optional.of(new Bad("Parameter '" + e.key() + "' expects 'on' or 'off'", "write " + e.key() + "=on or " + e.key() + "=off"));
            }
        }
        return Optional.empty();
    }

    private static Optional<Boolean> bool(String v) {
        return switch (v) {
            case "on", "yes", "true", "y" -> Optional.of(true);
            case "off", "no", "false", "n" -> Optional.of(false);
            default -> Optional.empty();
        };
    }

    /** -usbdevice: QEMU 7.2's usbdevice names (hw/usb/bus.c usbdevice_create; each probed), and the NAME:ARGS form it dropped. */
    static final List<String> USB_DEVICES = List.of("mouse", "tablet", "keyboard", "wacom-tablet", "braille");

    static Optional<Bad> usbDevice(String name) {
        if (name.contains(":")) {
            return Optional.of(new Bad("usbdevice parameters are not supported anymore", "use -device, e.g. -device usb-storage,drive=ID"));
        }
        if (!USB_DEVICES.contains(name)) {
            return Optional.of(new Bad("could not add USB device '" + name + "'", "one of " + String.join(", ", USB_DEVICES)
                    + ", or -device with the device type"));
        }
        return Optional.empty();
    }

    /** -seed: qemu_strtou64 of the whole argument, base 0 (leading blanks taken, no sign, no trailing text). */
    static Optional<Bad> seed(String v) {
        if (u64(v.stripLeading()) == null) {
            return Optional.of(new Bad("Invalid seed number: " + v, "a number from 0 to 18446744073709551615 (0x... for hex)"));
        }
        return Optional.empty();
    }

    /** An unsigned 64-bit number as strtoull with base 0 reads it, all of it; null when it is not one. */
    private static java.math.BigInteger u64(String v) {
        String t = v;
        int radix = 10;
        if (t.startsWith("0x") || t.startsWith("0X")) {
            t = t.substring(2);
            radix = 16;
        } else if (t.length() > 1 && t.startsWith("0")) {
            t = t.substring(1);
            radix = 8;
        }
        final int base = radix;
        if (t.isEmpty() || !t.chars().allMatch(c -> Character.digit(c, base) >= 0)) {
            return null;
        }
        java.math.BigInteger n = new java.math.BigInteger(t, base);
        return n.bitLength() > 64 ? null : n;
    }

    /** -d: QEMU 7.2's log items (qemu-system-x86_64 -d help), "all" and trace:PATTERN; one empty item spoils the list. */
    static final List<String> LOG_ITEMS = List.of("out_asm", "in_asm", "op", "op_opt", "op_ind", "int", "exec", "cpu", "fpu", "mmu",
            "pcall", "cpu_reset", "unimp", "guest_errors", "page", "nochain", "plugin", "strace", "tid");

    static Optional<Bad> logItems(String v, Optional<String> logFile) {
        boolean tid = false;
        for (String item : v.split(",", -1)) {
            if (item.startsWith("trace:")) {
                continue;
            }
            if (!item.equals("all") && !LOG_ITEMS.contains(item)) {
                return Optional.of(new Bad("'" + item + "' is not a log item (QEMU 7.2 prints its list of log items and exits 1)",
                        "comma-separated items from " + String.join(", ", LOG_ITEMS) + ", all, trace:PATTERN", false));
            }
            tid |= item.equals("all") || item.equals("tid");
        }
        if (tid && logFile.filter(f -> f.contains("%d")).isEmpty()) {
            return Optional.of(new Bad("Filename template with '%d' required for 'tid'", "give -D with %d in the name, e.g. -D log-%d.txt"));
        }
        return Optional.empty();
    }

    /** -dfilter: qemu_set_dfilter_ranges of util/log.c, each range A..B, A+N or A-N with numbers as strtoull base 0 reads them. */
    static Optional<Bad> dfilter(String v) {
        if (v.isEmpty()) {
            return Optional.empty();
        }
        for (String r : v.split(",")) {
            String op;
            int at = r.indexOf('-');
            op = "-";
            if (at < 0) {
                at = r.indexOf('+');
                op = "+";
            }
            if (at < 0) {
                at = r.indexOf("..");
                op = "..";
            }
            if (at < 0) {
                return Optional.of(new Bad("Bad range specifier", "ranges are START..END, START+LENGTH or END-LENGTH, comma-separated"));
            }
            if (u64(r.substring(0, at).stripLeading()) == null) {
                return Optional.of(new Bad("Invalid number to the left of " + op, "e.g. 0x8000..0x8fff"));
            }
            if (u64(r.substring(at + op.length()).stripLeading()) == null) {
                return Optional.of(new Bad("Invalid number to the right of " + op, "e.g. 0x8000..0x8fff"));
            }
        }
        return Optional.empty();
    }

    /** -incoming: defer, or a protocol QEMU 7.2 knows (migration/migration.c qemu_start_incoming_migration). */
    private static final List<String> MIGRATION = List.of("tcp:", "rdma:", "exec:", "unix:", "vsock:", "fd:");

    static Optional<Bad> incoming(String v) {
        if (v.equals("defer") || MIGRATION.stream().anyMatch(v::startsWith)) {
            return Optional.empty();
        }
        return Optional.of(new Bad("unknown migration protocol: " + v, "defer, or " + String.join(", ", MIGRATION) + " followed by the address"));
    }
}
