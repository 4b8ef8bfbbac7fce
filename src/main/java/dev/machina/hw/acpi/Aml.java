package dev.machina.hw.acpi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A small ACPI Machine Language encoder (ACPI 6.4 chapter 20, "ACPI Machine Language
 * Specification"): just the terms a PC's minimal DSDT needs, Scope, Device, Name, Package and data
 * objects, each an {@link Aml} node that encodes itself. Names are 4-character segments
 * ({@code "PCI0"}), optionally rooted ({@code "\\_SB_"}) or dotted ({@code "\\_SB_.PCI0"}); shorter
 * segments are padded with '_' as ASL compilers do.
 */
public abstract class Aml {
    static final int ZERO_OP = 0x00;
    static final int ONE_OP = 0x01;
    static final int NAME_OP = 0x08;
    static final int BYTE_PREFIX = 0x0A;
    static final int WORD_PREFIX = 0x0B;
    static final int DWORD_PREFIX = 0x0C;
    static final int STRING_PREFIX = 0x0D;
    static final int QWORD_PREFIX = 0x0E;
    static final int SCOPE_OP = 0x10;
    static final int BUFFER_OP = 0x11;
    static final int PACKAGE_OP = 0x12;
    static final int ONES_OP = 0xFF;
    static final int EXT_OP_PREFIX = 0x5B;
    static final int DEVICE_OP = 0x82;
    static final int DUAL_NAME_PREFIX = 0x2E;
    static final int MULTI_NAME_PREFIX = 0x2F;
    static final int ROOT_CHAR = 0x5C;

    abstract void encode(ByteArrayOutputStream out);

    public final byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        encode(out);
        return out.toByteArray();
    }

    // -- data -------------------------------------------------------------------------------

    /** The shortest integer encoding: ZeroOp, OneOp, or Byte/Word/DWord/QWord constant. */
    public static Aml integer(long v) {
        return new Aml() {
            @Override
            void encode(ByteArrayOutputStream out) {
                if (v == 0) {
                    out.write(ZERO_OP);
                } else if (v == 1) {
                    out.write(ONE_OP);
                } else if (v > 0 && v <= 0xFF) {
                    out.write(BYTE_PREFIX);
                    le(out, v, 1);
                } else if (v > 0 && v <= 0xFFFF) {
                    out.write(WORD_PREFIX);
                    le(out, v, 2);
                } else if (v > 0 && v <= 0xFFFFFFFFL) {
                    out.write(DWORD_PREFIX);
                    le(out, v, 4);
                } else {
                    out.write(QWORD_PREFIX);
                    le(out, v, 8);
                }
            }
        };
    }

    /**
     * ASL's {@code EISAID("PNP0A03")}: a compressed EISA id as a DWord constant (three letters of
     * 5 bits each, then four hex digits, stored big-endian).
     */
    public static Aml eisaId(String id) {
        if (id.length() != 7) {
            throw new IllegalArgumentException("EISA id " + id + " is not 3 letters and 4 hex digits");
        }
        int v = ((id.charAt(0) - 0x40) & 0x1F) << 26 | ((id.charAt(1) - 0x40) & 0x1F) << 21
                | ((id.charAt(2) - 0x40) & 0x1F) << 16 | Integer.parseInt(id.substring(3), 16);
        long swapped = Integer.reverseBytes(v) & 0xFFFFFFFFL;
        return new Aml() {
            @Override
            void encode(ByteArrayOutputStream out) {
                out.write(DWORD_PREFIX);
                le(out, swapped, 4);
            }
        };
    }

    public static Aml string(String s) {
        return new Aml() {
            @Override
            void encode(ByteArrayOutputStream out) {
                out.write(STRING_PREFIX);
                out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
                out.write(0);
            }
        };
    }

    /** {@code Buffer() {bytes}} (a ResourceTemplate is one). */
    public static Aml buffer(byte[] data) {
        return new Aml() {
            @Override
            void encode(ByteArrayOutputStream out) {
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                integer(data.length).encode(body);
                body.writeBytes(data);
                out.write(BUFFER_OP);
                pkgLength(out, body.size());
                out.writeBytes(body.toByteArray());
            }
        };
    }

    /** {@code Package(n) {elements}}. */
    public static Aml packageOf(Aml... elements) {
        return new Aml() {
            @Override
            void encode(ByteArrayOutputStream out) {
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                body.write(elements.length);
                for (Aml e : elements) {
                    e.encode(body);
                }
                out.write(PACKAGE_OP);
                pkgLength(out, body.size());
                out.writeBytes(body.toByteArray());
            }
        };
    }

    // -- named objects ------------------------------------------------------------------------

    /** {@code Name(NAME, value)}. */
    public static Aml name(String name, Aml value) {
        return new Aml() {
            @Override
            void encode(ByteArrayOutputStream out) {
                out.write(NAME_OP);
                nameString(out, name);
                value.encode(out);
            }
        };
    }

    /** {@code Scope(NAME) {...}}. */
    public static Container scope(String name) {
        return new Container(new int[] {SCOPE_OP}, name);
    }

    /** {@code Device(NAME) {...}}. */
    public static Container device(String name) {
        return new Container(new int[] {EXT_OP_PREFIX, DEVICE_OP}, name);
    }

    /** A term with a body (Scope, Device): add terms to it with {@link #add}. */
    public static final class Container extends Aml {
        private final int[] op;
        private final String name;
        private final List<Aml> terms = new ArrayList<>();

        Container(int[] op, String name) {
            this.op = op;
            this.name = name;
        }

        public Container add(Aml term) {
            terms.add(term);
            return this;
        }

        @Override
        void encode(ByteArrayOutputStream out) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            nameString(body, name);
            for (Aml t : terms) {
                t.encode(body);
            }
            for (int b : op) {
                out.write(b);
            }
            pkgLength(out, body.size());
            out.writeBytes(body.toByteArray());
        }
    }

    // -- encodings ----------------------------------------------------------------------------

    static void le(ByteArrayOutputStream out, long v, int n) {
        for (int i = 0; i < n; i++) {
            out.write((int) (v >>> (8 * i)) & 0xFF);
        }
    }

    /** PkgLength of a body of {@code bodyLength} bytes (the count includes the PkgLength itself). */
    static void pkgLength(ByteArrayOutputStream out, int bodyLength) {
        if (bodyLength + 1 < 0x40) {
            out.write(bodyLength + 1);
            return;
        }
        int bytes = bodyLength + 2 < 0x1000 ? 2 : bodyLength + 3 < 0x100000 ? 3 : 4;
        int total = bodyLength + bytes;
        out.write(((bytes - 1) << 6) | (total & 0x0F));
        for (int i = 1; i < bytes; i++) {
            out.write((total >>> (4 + 8 * (i - 1))) & 0xFF);
        }
    }

    static void nameString(ByteArrayOutputStream out, String name) {
        String n = name;
        while (n.startsWith("\\") || n.startsWith("^")) {
            out.write(n.charAt(0));
            n = n.substring(1);
        }
        String[] segs = n.isEmpty() ? new String[0] : n.split("\\.");
        if (segs.length == 2) {
            out.write(DUAL_NAME_PREFIX);
        } else if (segs.length > 2) {
            out.write(MULTI_NAME_PREFIX);
            out.write(segs.length);
        } else if (segs.length == 0) {
            out.write(0x00); // NullName
            return;
        }
        for (String s : segs) {
            if (s.isEmpty() || s.length() > 4) {
                throw new IllegalArgumentException("AML name segment '" + s + "' in " + name);
            }
            String padded = (s + "___").substring(0, 4);
            out.writeBytes(padded.getBytes(StandardCharsets.US_ASCII));
        }
    }
}
