package dev.machina.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** {@code --help} on every command and subcommand, {@code help COMMAND...}, and unknown options as usage errors. */
class HelpTest {
    private static final Context CONTEXT = new Context();

    /** Every command of the tree, as the words after {@code machina} ("" for machina itself). */
    static Stream<String> everyCommand() {
        List<String> out = new ArrayList<>();
        walk(Main.commandLine(CONTEXT, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())), "", out);
        return out.stream();
    }

    private static void walk(CommandLine cl, String words, List<String> out) {
        out.add(words);
        cl.getSubcommands().forEach((name, sub) -> {
            if (sub.getCommandSpec().name().equals(name)) { // each command once, not once per alias
                walk(sub, (words + " " + name).trim(), out);
            }
        });
    }

    private static String[] args(String words, String... more) {
        List<String> a = new ArrayList<>(words.isEmpty() ? List.of() : Arrays.asList(words.split(" ")));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    void theTreeHasTheCommandsTheReadmeLists() {
        List<String> all = everyCommand().toList();
        for (String c : List.of("device list", "device show", "machine list", "machine show", "machine validate", "machine diff",
                "machine snapshot", "machine check-stable", "config write", "config convert", "config check", "config schema",
                "run", "cpu run", "cpu singlestep", "help")) {
            assertTrue(all.contains(c), c + " in " + all);
        }
    }

    @ParameterizedTest
    @MethodSource("everyCommand")
    void helpExitsZeroAndPrintsTheUsageOnceOnStdout(String command) {
        CliRunner r = CliRunner.run(CONTEXT, args(command, "--help"));
        assertEquals(0, r.code(), command + ": " + r.err());
        assertEquals("", r.err(), command);
        String usage = "Usage: machina" + (command.isEmpty() ? "" : " " + command);
        assertTrue(r.out().startsWith(usage), command + ":\n" + r.out());
        assertEquals(1, r.out().split("Usage: ", -1).length - 1, command + " prints its usage once:\n" + r.out());
    }

    @ParameterizedTest
    @MethodSource("everyCommand")
    void helpCommandShowsTheSameAsHelpOption(String command) {
        if (command.isEmpty() || command.equals("help")) {
            return;
        }
        CliRunner viaHelp = CliRunner.run(CONTEXT, args("help " + command));
        assertEquals(0, viaHelp.code(), viaHelp.err());
        assertEquals(CliRunner.run(CONTEXT, args(command, "--help")).out(), viaHelp.out(), command);
    }

    @Test
    void helpOfAnUnknownSubcommandIsAUsageErrorWithTheClosestName() {
        CliRunner r = CliRunner.run(CONTEXT, "help", "machine", "lst");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("machina: 'lst' is not a command of 'machina machine'; did you mean 'list'?"), r.err());
    }

    @Test
    void runHelpListsTheQemuOptionsItTakes() {
        String out = CliRunner.run(CONTEXT, "run", "--help").out();
        for (String o : List.of("-machine", "-m ARG", "-device", "-readconfig", "-writeconfig", "--compat=qemu")) {
            assertTrue(out.contains(o), o + " in:\n" + out);
        }
        assertEquals(out, CliRunner.run(CONTEXT, "run", "-h").out());
        assertEquals(out, CliRunner.run(CONTEXT, "run").out());
    }

    @Test
    void aHelpWordThatIsAnOptionsValueIsTheValue() {
        CliRunner r = CliRunner.run(CONTEXT, "config", "write", "-M", "pc", "-kernel", "pom.xml", "-append", "--help");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("append = \"--help\""), r.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"machine list --formt json", "machine show pc --formt json", "machine diff pc q35 --formt json",
        "device list --formt json", "config check x.cfg --formt", "config schema --formt", "cpu singlestep x --formt",
        "config write -M pc --formt json", "run -M pc --formt json", "--formt json", "machine validate --formt"})
    void anUnknownOptionIsAUsageErrorWithExit2(String line) {
        CliRunner r = CliRunner.run(CONTEXT, line.split(" "));
        assertEquals(2, r.code(), line + ": " + r.err());
        assertTrue(r.err().contains("--formt"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }
}
