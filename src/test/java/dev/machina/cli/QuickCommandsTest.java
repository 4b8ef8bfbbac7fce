package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The start-up shortcut answers exactly what the full command line answers, and only what it is sure of. */
class QuickCommandsTest {
    private static final Context CONTEXT = new Context();

    private static String viaPicocli(String[] args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] full = args[0].startsWith("-") && !args[0].equals("--version") && !args[0].equals("-V") ? prepend("run", args) : args;
        int code = Main.commandLine(CONTEXT, new PrintWriter(out, true), new PrintWriter(err, true)).execute(full);
        assertEquals(0, code, err.toString());
        return out.toString();
    }

    private static String[] prepend(String first, String[] rest) {
        String[] a = new String[rest.length + 1];
        a[0] = first;
        System.arraycopy(rest, 0, a, 1, rest.length);
        return a;
    }

    @ParameterizedTest
    @ValueSource(strings = {"machine list", "machine list --all", "machine list --format json", "machine list --all --format=json",
        "machine list --format text --all", "--version", "-V", "-machine help", "-M ?", "-M help"})
    void answersAsTheFullCommandDoes(String line) {
        String[] args = line.split(" ");
        String quick = QuickCommands.answer(args, CONTEXT);
        assertNotNull(quick, line);
        assertEquals(viaPicocli(args), quick, line);
    }

    @ParameterizedTest
    @ValueSource(strings = {"machine list --help", "machine list --format xml", "machine list --formt json", "machine show pc",
        "-machine pc,help", "-M help -m 1", "machine list --format", "--version --help"})
    void leavesEverythingElseToTheFullCommandLine(String line) {
        assertNull(QuickCommands.answer(line.split(" "), CONTEXT), line);
    }
}
