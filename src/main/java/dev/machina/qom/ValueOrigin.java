package dev.machina.qom;

/** Where an object's property value came from: provenance for {@code --provenance} and diagnostics. */
public sealed interface ValueOrigin {
    /** The type's default; {@code since} says which QEMU release it is from when that matters (else null). */
    record Default(String type, String since) implements ValueOrigin {
        public Default(String type) {
            this(type, null);
        }

        public String toString() { return "default of " + type + (since == null ? "" : " (" + since + ")"); }
    }

    /** A global property (compat or user). */
    record Global(GlobalProperty global) implements ValueOrigin {
        public String toString() {
            return (global.user() ? "global " : "compat ") + global.driver() + "." + global.property()
                    + (global.source().isEmpty() ? "" : " (" + global.source() + ")");
        }
    }

    /**
     * Set by the board itself, as QEMU's board code does before realize ({@code qdev_prop_set_uint32(dev,
     * "iobase", 0x20)} in {@code i8259_init_chip}): {@code source} names that code (release, file, line),
     * {@code at} where the data says so ({@code machines/pc-i440fx.yaml:70:5}).
     */
    record Board(String source, String at) implements ValueOrigin {
        public String toString() {
            return "board " + (source.isEmpty() ? "" : source + " ") + "(" + at + ")";
        }
    }

    /**
     * Computed as QEMU computes it while realizing the object (or reports it from state realize
     * set up): {@code how} names the rule and where QEMU has it ({@code pc_pci_hole64_start (hw/i386/pc.c:1141)}).
     */
    record Computed(String how) implements ValueOrigin {
        public String toString() {
            return "computed at realize: " + how;
        }
    }

    /** Set explicitly, e.g. by a {@code -device} option; {@code where} says where it was written. */
    record Explicit(String where) implements ValueOrigin {
        public String toString() { return where.isEmpty() ? "set" : where; }
    }
}
