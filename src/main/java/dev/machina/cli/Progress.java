package dev.machina.cli;

import java.io.PrintWriter;

/**
 * A progress line on stderr for a long command ({@code docs}, {@code machine snapshot}, {@code cpu
 * singlestep}, {@code cpu run --stats}): {@code label [#####.....] 37/101 item}, redrawn in place
 * with a carriage return and erased when the command ends, so that nothing of it stays in the
 * terminal's scrollback. Drawn only when stderr is a terminal ({@link Terminal#progress()}); a
 * redirected or piped run gets nothing, so its output is exactly what the command prints. The bar
 * is coloured unless {@code NO_COLOR} or {@code TERM=dumb} refuse colour. Redraws are limited to
 * about ten a second, so a fast loop does not spend its time writing to the terminal.
 *
 * <p>Not thread-safe: one thread advances it.
 */
final class Progress implements AutoCloseable {
    private static final int BAR = 24;
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final String ON = "\u001b[32m";
    private static final String OFF = "\u001b[0m";

    private final PrintWriter err;
    private String label;
    private final boolean colour;
    private final boolean on;
    private long total;
    private long done;
    private String item = "";
    private boolean percent;
    private long lastDraw;
    private int drawnWidth;

    private Progress(PrintWriter err, String label, long total, boolean on, boolean colour) {
        this.err = err;
        this.label = label;
        this.total = total;
        this.on = on;
        this.colour = colour;
    }

    /** A progress line for {@code total} steps (0 or less: a counter without a bar), shown only on a terminal. */
    static Progress start(Terminal terminal, PrintWriter err, String label, long total) {
        Progress p = new Progress(err, label, total, terminal.progress(), !terminal.colourRefused());
        p.draw(true);
        return p;
    }

    /** A bar that shows a percentage ({@code total} in bytes or another unit not worth printing). */
    static Progress startPercent(Terminal terminal, PrintWriter err, String label, long total) {
        Progress p = new Progress(err, label, total, terminal.progress(), !terminal.colourRefused());
        p.percent = true;
        p.draw(true);
        return p;
    }

    /** A progress line that draws nothing (for callers without a terminal to draw on). */
    static Progress none() {
        return new Progress(null, "", 0, false, false);
    }

    /** Whether anything is drawn. */
    boolean shown() {
        return on;
    }

    /** A new phase on the same line: another label, the count from 0 of {@code total}. */
    void restart(String label, long total) {
        this.label = label;
        this.done = 0;
        this.item = "";
        this.total = total;
        draw(true);
    }

    /** Sets the number of steps (when it is known only after starting). */
    void total(long total) {
        this.total = total;
        draw(true);
    }

    /** One more step done; {@code what} names the next or current item (may be null). */
    void step(String what) {
        advance(1, what);
    }

    /** {@code n} steps done in all. */
    void set(long n) {
        done = n;
        draw(false);
    }

    /** {@code n} more steps done. */
    void advance(long n, String what) {
        done += n;
        if (what != null) {
            item = what;
        }
        draw(false);
    }

    /** The line as it would be drawn now (without colour), for tests and the drawing itself. */
    String line(boolean withColour) {
        StringBuilder b = new StringBuilder(label);
        if (total > 0) {
            long shown = Math.min(done, total);
            int full = (int) (BAR * shown / total);
            b.append(" [");
            if (withColour && full > 0) {
                b.append(ON).append("#".repeat(full)).append(OFF);
            } else {
                b.append("#".repeat(full));
            }
            b.append(".".repeat(BAR - full)).append("] ");
            if (percent) {
                b.append(100 * shown / total).append('%');
            } else {
                b.append(shown).append('/').append(total);
            }
        } else {
            b.append(' ').append(done);
        }
        if (!item.isEmpty()) {
            b.append(' ').append(item.length() > 40 ? item.substring(0, 39) + "\u2026" : item);
        }
        return b.toString();
    }

    private void draw(boolean force) {
        if (!on) {
            return;
        }
        long now = System.nanoTime();
        if (!force && now - lastDraw < REDRAW_NANOS && done < total) {
            return;
        }
        lastDraw = now;
        String plain = line(false);
        String text = colour ? line(true) : plain;
        int pad = Math.max(0, drawnWidth - plain.length());
        err.print("\r" + text + " ".repeat(pad));
        err.flush();
        drawnWidth = plain.length();
    }

    /** Erases the line: what the command prints next starts at the beginning of an empty line. */
    @Override
    public void close() {
        if (on && drawnWidth > 0) {
            err.print("\r" + " ".repeat(drawnWidth) + "\r");
            err.flush();
            drawnWidth = 0;
        }
    }
}
