package dev.machina.qom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Integer lists in QEMU's text form ({@code host-nodes=0-1,3}): comma-separated values and
 * {@code lo-hi} ranges, as QEMU's string input visitor reads them.
 */
class ListTypeTest {
    private final PropertyType nodes = new PropertyType.ListType(PropertyType.UINT16);

    @Test
    void valuesAndRangesExpandInOrder() throws BadValue {
        assertEquals(List.of(0L, 1L, 2L, 3L, 7L), nodes.parse("0-3,7"));
    }

    @Test
    void aRangeMayStandForAtMost65536Values() throws BadValue {
        assertEquals(65536, ((List<?>) nodes.parse("0-65535")).size());
        PropertyType wide = new PropertyType.ListType(PropertyType.UINT32);
        assertThrows(BadValue.class, () -> wide.parse("0-65536"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"3-1", "0-70000", "a", "1,,2", "1-"})
    void rejectsBackwardsRangesValuesOutOfTheElementTypeAndNonNumbers(String text) {
        assertThrows(BadValue.class, () -> nodes.parse(text));
    }
}
