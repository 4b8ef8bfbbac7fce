package dev.machina.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SuggestTest {
    private static final List<String> NAMES = List.of("iobase", "irq", "index", "chardev", "wakeup", "baudbase", "isa-fdc", "isa-serial");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "iobasee, iobase",    // insertion
        "iobse,   iobase",    // deletion
        "iobaze,  iobase",    // substitution
        "ioabse,  iobase",    // transposition
        "IOBASE,  iobase",    // case
        "isa-fdcc, isa-fdc",
        "chardv,  chardev",
    })
    void suggestsTheLikelyTypo(String wrong, String expected) {
        assertEquals(expected, Suggest.closest(wrong, NAMES, 3).get(0));
    }

    @Test
    void suggestsNothingForAFarName() {
        assertEquals(List.of(), Suggest.closest("frobnicate", NAMES, 3));
        assertEquals("", Suggest.didYouMean("frobnicate", NAMES));
    }

    @Test
    void phrasesOneOrSeveralSuggestions() {
        assertEquals("; did you mean 'iobase'?", Suggest.didYouMean("iobasee", NAMES));
        assertEquals("; did you mean 'isa-fdc' or 'isa-serial'?", Suggest.didYouMean("isa-", List.of("isa-fdc", "isa-serial")));
    }

    @Test
    void nearestAlwaysNamesSomething() {
        assertEquals(2, Suggest.nearest("zzzzzzzz", NAMES, 2).size());
    }

    @ParameterizedTest(name = "{0} vs {1} = {2}")
    @CsvSource({"kitten, sitting, 3", "ca, abc, 3", "abcd, acbd, 1", "'', abc, 3", "abc, '', 3", "isa-fdc, isa-fdc, 0"})
    void distanceIsTheOptimalStringAlignmentDistance(String a, String b, int d) {
        assertEquals(d, Suggest.distance(a, b));
    }

    /**
     * A name of 100,000 characters against every type name: no suggestion and the nearest names,
     * from one distance per candidate on at most {@link Suggest#MAX_COMPARED} characters. This is the
     * shape that used to take minutes (distances recomputed in every sort comparison, a 100,000-row
     * matrix each); its speed is measured by {@code tools/bench suggest}, not here.
     */
    @Test
    void aHugeNameGetsNoSuggestionAndTheNearestNamesOfItsStart() {
        String huge = "isa-serial" + "x".repeat(100_000);
        List<String> many = new java.util.ArrayList<>(NAMES);
        for (int i = 0; i < 5000; i++) {
            many.add("type-" + i);
        }
        assertEquals(List.of(), Suggest.closest(huge, many, 3));
        assertEquals("isa-serial", Suggest.nearest(huge, many, 1).get(0));
    }
}
