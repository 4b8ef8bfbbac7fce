package dev.machina.hw.input;

/**
 * Scan code tables of the PC keyboard: each key's make code in set 1 (the IBM PC/XT codes, the
 * key numbering hosts use) and set 2 (what an AT/PS/2 keyboard sends), and the 8042's
 * translation of set 2 back to set 1 (IBM PS/2 Technical Reference, "keyboard scan codes").
 */
final class ScanCodes {
    private ScanCodes() {}

    /** Set-2 make code of each set-1 make code 0x01-0x58 (0 where none). */
    private static final int[] SET2_OF_SET1 = {
        0x00, 0x76, 0x16, 0x1E, 0x26, 0x25, 0x2E, 0x36, 0x3D, 0x3E, 0x46, 0x45, 0x4E, 0x55, 0x66, 0x0D, // 00-0F
        0x15, 0x1D, 0x24, 0x2D, 0x2C, 0x35, 0x3C, 0x43, 0x44, 0x4D, 0x54, 0x5B, 0x5A, 0x14, 0x1C, 0x1B, // 10-1F
        0x23, 0x2B, 0x34, 0x33, 0x3B, 0x42, 0x4B, 0x4C, 0x52, 0x0E, 0x12, 0x5D, 0x1A, 0x22, 0x21, 0x2A, // 20-2F
        0x32, 0x31, 0x3A, 0x41, 0x49, 0x4A, 0x59, 0x7C, 0x11, 0x29, 0x58, 0x05, 0x06, 0x04, 0x0C, 0x03, // 30-3F
        0x0B, 0x83, 0x0A, 0x01, 0x09, 0x77, 0x7E, 0x6C, 0x75, 0x7D, 0x7B, 0x6B, 0x73, 0x74, 0x79, 0x69, // 40-4F
        0x72, 0x7A, 0x70, 0x71, 0x84, 0x00, 0x61, 0x78, 0x07,                                           // 50-58
    };

    /** Set-2 code of an E0-prefixed set-1 code (the E0 prefix stays): keypad Enter, right Ctrl/Alt, arrows... */
    private static int set2OfExtended(int code) {
        return switch (code) {
            case 0x1C -> 0x5A; // keypad Enter
            case 0x1D -> 0x14; // right Ctrl
            case 0x35 -> 0x4A; // keypad /
            case 0x38 -> 0x11; // right Alt
            case 0x47 -> 0x6C; // Home
            case 0x48 -> 0x75; // Up
            case 0x49 -> 0x7D; // Page Up
            case 0x4B -> 0x6B; // Left
            case 0x4D -> 0x74; // Right
            case 0x4F -> 0x69; // End
            case 0x50 -> 0x72; // Down
            case 0x51 -> 0x7A; // Page Down
            case 0x52 -> 0x70; // Insert
            case 0x53 -> 0x71; // Delete
            case 0x5B -> 0x1F; // left Windows
            case 0x5C -> 0x27; // right Windows
            case 0x5D -> 0x2F; // Menu
            default -> 0;
        };
    }

    /** The 8042's translation of a set-2 byte to set 1 for every set-2 code above (and 0x02 -> 0x41, 0x08 -> 0x64 as the chip does); other bytes pass unchanged. */
    private static final int[] TRANSLATE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            TRANSLATE[i] = i;
        }
        for (int s1 = 1; s1 < SET2_OF_SET1.length; s1++) {
            if (SET2_OF_SET1[s1] != 0) {
                TRANSLATE[SET2_OF_SET1[s1]] = s1;
            }
        }
        TRANSLATE[0x02] = 0x41;
        TRANSLATE[0x08] = 0x64;
        TRANSLATE[0x1F] = 0x5B;
        TRANSLATE[0x27] = 0x5C;
        TRANSLATE[0x2F] = 0x5D;
    }

    /** The 8042 translation of one byte. */
    static int translate(int set2Byte) {
        return TRANSLATE[set2Byte & 0xFF];
    }

    /**
     * The bytes a keyboard in set {@code set} sends for key {@code xt} (a set-1 make code, 0xE0xx
     * for the E0-prefixed keys) going down or up; empty for a key the tables do not know. Set 3
     * sends set-2 codes (a simplification: no PC guest selects set 3).
     */
    static byte[] encode(int xt, boolean down, int set) {
        boolean extended = (xt & 0xFF00) == 0xE000;
        int code = xt & 0xFF;
        if (code == 0 || code >= 0x80 || (xt & 0xFF00) != 0 && !extended) {
            return new byte[0];
        }
        if (set == 1) {
            int c = down ? code : code | 0x80;
            return extended ? new byte[] {(byte) 0xE0, (byte) c} : new byte[] {(byte) c};
        }
        int s2 = extended ? set2OfExtended(code) : code < SET2_OF_SET1.length ? SET2_OF_SET1[code] : 0;
        if (s2 == 0) {
            return new byte[0];
        }
        byte[] out = new byte[(extended ? 1 : 0) + (down ? 0 : 1) + 1];
        int i = 0;
        if (extended) {
            out[i++] = (byte) 0xE0;
        }
        if (!down) {
            out[i++] = (byte) 0xF0;
        }
        out[i] = (byte) s2;
        return out;
    }
}
