package dev.machina.hw.core;

/** {@link IrqLine#none()}: a line connected to nothing. */
enum UnwiredIrq implements IrqLine {
    LINE;

    @Override
    public void set(boolean level) {
        // nothing is on the other end
    }
}
