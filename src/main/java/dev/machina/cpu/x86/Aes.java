package dev.machina.cpu.x86;

/**
 * The AES round steps the AES-NI instructions are made of (FIPS 197 sections 5.1 and 5.3; SDM Vol. 2A
 * AESENC and the others): the state is the 16 bytes of an XMM register, byte 4c + r being row r of
 * column c. The S-box is computed from its definition (the multiplicative inverse in GF(2^8) modulo
 * x^8 + x^4 + x^3 + x + 1, then the affine transform with 63h).
 */
final class Aes {
    private Aes() {}

    private static final int[] SBOX = new int[256], INV_SBOX = new int[256];

    static {
        for (int x = 0; x < 256; x++) {
            int inv = 0;
            for (int y = 1; y < 256 && x != 0; y++) {
                if (mul(x, y) == 1) {
                    inv = y;
                    break;
                }
            }
            int s = inv ^ rotl8(inv, 1) ^ rotl8(inv, 2) ^ rotl8(inv, 3) ^ rotl8(inv, 4) ^ 0x63;
            SBOX[x] = s;
            INV_SBOX[s] = x;
        }
    }

    private static int rotl8(int v, int n) {
        return (v << n | v >>> (8 - n)) & 0xFF;
    }

    /** Multiplication in GF(2^8) modulo 11Bh. */
    static int mul(int a, int b) {
        int r = 0;
        while (b != 0) {
            if ((b & 1) != 0) {
                r ^= a;
            }
            a = (a << 1 ^ ((a & 0x80) != 0 ? 0x11B : 0)) & 0xFF;
            b >>>= 1;
        }
        return r;
    }

    private static int stateByte(long lo, long hi, int i) {
        return (int) ((i < 8 ? lo >>> (8 * i) : hi >>> (8 * (i - 8))) & 0xFF);
    }

    /**
     * Half {@code half} (bytes 0-7 or 8-15) of SubBytes(ShiftRows(state)), or of
     * InvSubBytes(InvShiftRows(state)) when {@code inverse}.
     */
    static long shiftSub(long lo, long hi, boolean inverse, int half) {
        long r = 0;
        for (int i = 0; i < 8; i++) {
            int out = 8 * half + i;
            int col = out >>> 2, row = out & 3;
            int from = 4 * ((inverse ? col - row : col + row) & 3) + row;
            int b = stateByte(lo, hi, from);
            r |= (long) (inverse ? INV_SBOX[b] : SBOX[b]) << (8 * i);
        }
        return r;
    }

    /** MixColumns of the two columns in a 64-bit half of the state. */
    static long mixColumns(long v) {
        return column(v, MIX) | column(v >>> 32, MIX) << 32;
    }

    static long invMixColumns(long v) {
        return column(v, INV_MIX) | column(v >>> 32, INV_MIX) << 32;
    }

    /** The first rows of the circulant matrices of MixColumns and InvMixColumns. */
    private static final int[] MIX = {2, 3, 1, 1}, INV_MIX = {14, 11, 13, 9};

    /** One column (the low 32 bits of v) times the circulant matrix whose first row is m. */
    private static long column(long v, int[] m) {
        long r = 0;
        for (int row = 0; row < 4; row++) {
            int b = 0;
            for (int k = 0; k < 4; k++) {
                b ^= mul(m[(k - row) & 3], (int) (v >>> (8 * k)) & 0xFF);
            }
            r |= (long) b << (8 * row);
        }
        return r;
    }

    /** SubWord: the S-box applied to each byte of a dword. */
    static int subWord(int w) {
        return SBOX[w & 0xFF] | SBOX[w >>> 8 & 0xFF] << 8 | SBOX[w >>> 16 & 0xFF] << 16 | SBOX[w >>> 24] << 24;
    }
}
