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
}
