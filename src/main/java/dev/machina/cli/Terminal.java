package dev.machina.cli;

import java.util.Map;

/**
 * What the terminal a command writes to allows: colour and progress lines. Colour needs a terminal
 * on stdout and neither {@code NO_COLOR} (set and not empty, https://no-color.org) nor
 * {@code TERM=dumb}; an explicit {@code --color always} wins over both. Progress goes to stderr
 * only when stderr is a terminal and {@code TERM} is not {@code dumb}, so a redirected or piped
 * run's output is exactly what the command prints.
 */
record Terminal(boolean stdoutIsTerminal, boolean stderrIsTerminal, Map<String, String> env) {
    /** This process's terminal: {@code System.console()} is there only when stdin and stdout are terminals. */
    static Terminal current() {
        boolean tty = System.console() != null;
        return new Terminal(tty, isTerminal("/proc/self/fd/2", tty), System.getenv());
    }

    /**
     * Whether the file descriptor is a terminal, by where {@code /proc} says it points (so that
     * {@code machina machine snapshot > file} still shows progress on stderr); where {@code /proc}
     * cannot say, {@code otherwise} (whether stdin and stdout are a console).
     */
    private static boolean isTerminal(String fd, boolean otherwise) {
        try {
            String target = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of(fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
            return otherwise;
        }
    }

    /** Whether colours are off by the environment: {@code NO_COLOR} set to anything but "", or {@code TERM=dumb}. */
    boolean colourRefused() {
        String no = env.get("NO_COLOR");
        return no != null && !no.isEmpty() || "dumb".equals(env.get("TERM"));
    }

    /** Colour for {@code --color auto}: a terminal on stdout that accepts it. */
    boolean colourByDefault() {
        return stdoutIsTerminal && !colourRefused();
    }

    /** Whether a progress line on stderr may be drawn (and redrawn with a carriage return). */
    boolean progress() {
        return stderrIsTerminal && !"dumb".equals(env.get("TERM"));
    }
}
