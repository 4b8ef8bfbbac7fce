package dev.machina.cpu.x86;

/**
 * An op with a memory operand. The effective address is one branch-free formula for every
 * addressing form (SDM Vol. 2A 2.1.5): absent base or index registers are the constant-zero
 * register {@link Cpu#ZERO}, 16-bit forms mask the sum to 16 bits.
 */
abstract class MemOp extends Op {
    final int seg, base, index, scale, disp, amask;

    MemOp(Addr a) {
        this(GENERIC, a, 0, 0);
    }

    MemOp(int form, Addr a, int p, int q) {
        super(form, p, q);
        this.seg = a.seg();
        this.base = a.base();
        this.index = a.index();
        this.scale = a.scale();
        this.disp = a.disp();
        this.amask = a.amask();
    }

    final int ea(Cpu c) {
        int[] r = c.r;
        return (r[base] + (r[index] << scale) + disp) & amask;
    }
}
