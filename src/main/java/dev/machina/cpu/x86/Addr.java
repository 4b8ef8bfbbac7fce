package dev.machina.cpu.x86;

/** A memory operand's address form, resolved at decode time (see {@link Insn}). */
record Addr(int seg, int base, int index, int scale, int disp, int amask) {
}
