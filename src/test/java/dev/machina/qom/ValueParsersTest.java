package dev.machina.qom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * QEMU's value syntax. Expected values come from QEMU's documented rules
 * (shared/qemu/config/README.md §3.2) and from probes of qemu-system-x86_64 7.2.22 run while this
 * was written: {@code -device isa-serial,iobase=V} read back with qom-get, and
 * {@code -object memory-backend-ram,size=V} read back the same way (the size probes below were rerun with
 * {@code -M none -object memory-backend-ram,id=m,size=V} and {@code qom-get /objects/m size}).
 */
class ValueParsersTest {

    /** QEMU reads numbers with strtoull: only ASCII digits are digits (full-width, Arabic-Indic are not). */
    @ParameterizedTest
    @ValueSource(strings = {"１２８", "١", "２", "1２", "０x10", "１M", "1.５G", "٣٢"})
    void onlyAsciiDigitsAreNumbers(String text) {
        org.junit.jupiter.api.Assertions.assertThrows(BadValue.class, () -> ValueParsers.parseInteger(text, 32, false));
        org.junit.jupiter.api.Assertions.assertThrows(BadValue.class, () -> ValueParsers.parseSize(text));
    }

    @Nested
    class Booleans {
        @ParameterizedTest
        @ValueSource(strings = {"on", "yes", "true", "y"})
        void acceptsEveryTrueSpellingQemuAccepts(String text) throws BadValue {
            assertTrue(ValueParsers.parseBool(text));
        }

        @ParameterizedTest
        @ValueSource(strings = {"off", "no", "false", "n"})
        void acceptsEveryFalseSpellingQemuAccepts(String text) throws BadValue {
            assertEquals(false, ValueParsers.parseBool(text));
        }

        /** qapi_bool_parse is case-sensitive and takes no numbers (transcript 06: ON, Yes, 1 rejected). */
        @ParameterizedTest
        @ValueSource(strings = {"ON", "Yes", "TRUE", "Off", "1", "0", "", " on", "on ", "enable", "t", "f"})
        void rejectsOtherSpellings(String text) {
            BadValue e = assertThrows(BadValue.class, () -> ValueParsers.parseBool(text));
            assertTrue(e.expected().contains("on/off"), e.expected());
        }
    }

    @Nested
    class Integers {
        @ParameterizedTest(name = "{0} as {1}{2} = {3}")
        @CsvSource({
            // text, signed, bits, expected
            "0,          false, 8,  0",
            "255,        false, 8,  255",
            "0xff,       false, 8,  255",
            "0XFF,       false, 8,  255",
            "010,        false, 32, 8",          // QEMU 7.2: iobase=010 reads back 8 (base-0 parsing)
            "0x3f8,      false, 32, 1016",
            "+5,         false, 32, 5",          // QEMU 7.2: iobase=+5 reads back 5
            "4294967295, false, 32, 4294967295",
            "-128,       true,  8,  -128",
            "127,        true,  8,  127",
            "-0x80,      true,  8,  -128",
            "32767,      true,  16, 32767",
            "65535,      false, 16, 65535",
            "-2147483648,true,  32, -2147483648",
            "9223372036854775807, true, 64, 9223372036854775807",
            "-9223372036854775808, true, 64, -9223372036854775808",
        })
        void parsesInRangeValues(String text, boolean signed, int bits, long expected) throws BadValue {
            assertEquals(expected, ValueParsers.parseInteger(text, bits, signed));
        }

        @ParameterizedTest
        @ValueSource(strings = {" 12", "\t12"})
        void allowsLeadingBlanksAsStrtoullDoes(String text) throws BadValue {
            assertEquals(12L, ValueParsers.parseInteger(text, 32, false)); // QEMU 7.2: iobase=" 12" reads back 12
        }

        @ParameterizedTest
        @CsvSource({"18446744073709551615, -1", "0xffffffffffffffff, -1", "9223372036854775808, -9223372036854775808"})
        void keepsUint64AboveLongMaxAsItsBitPattern(String text, long bits) throws BadValue {
            assertEquals(bits, ValueParsers.parseInteger(text, 64, false));
        }

        @ParameterizedTest(name = "{0} does not fit {1}{2}")
        @CsvSource({
            "256,        false, 8",
            "0x100,      false, 8",
            "65536,      false, 16",
            "4294967296, false, 32",
            "99999999999,false, 32",   // QEMU 7.2: "Parameter 'iobase' expects uint32_t"
            "18446744073709551616, false, 64",
            "128,        true,  8",
            "-129,       true,  8",
            "32768,      true,  16",
            "-32769,     true,  16",
            "2147483648, true,  32",
            "-2147483649,true,  32",
            "9223372036854775808, true, 64",
            "-9223372036854775809, true, 64",
        })
        void rejectsOverflow(String text, boolean signed, int bits) {
            BadValue e = assertThrows(BadValue.class, () -> ValueParsers.parseInteger(text, bits, signed));
            assertEquals("out of range", e.getMessage());
            assertTrue(e.expected().startsWith("an integer " + ValueParsers.min(bits, signed)), e.expected());
        }

        @ParameterizedTest
        @ValueSource(ints = {8, 16, 32, 64})
        void rejectsNegativeValuesForUnsignedTypes(int bits) {
            // QEMU 7.2: iobase=-1 → "Parameter 'iobase' expects uint32_t"
            BadValue e = assertThrows(BadValue.class, () -> ValueParsers.parseInteger("-1", bits, false));
            assertEquals("negative value for an unsigned type", e.getMessage());
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "abc", "0b11", "1e3", "12abc", "0x", "08", "1.5", "--1", "1 2", "0x1g"})
        void rejectsWhatIsNotAnInteger(String text) {
            // QEMU 7.2: 0b11 and 1e3 → "Parameter 'iobase' expects integer"
            assertThrows(BadValue.class, () -> ValueParsers.parseInteger(text, 32, false));
        }
    }

    @Nested
    class Sizes {
        @ParameterizedTest(name = "{0} = {1}")
        @CsvSource({
            "0,       0",
            "4096,    4096",
            "1b,      1",
            "1B,      1",
            "1k,      1024",
            "1K,      1024",
            "2m,      2097152",
            "2M,      2097152",
            "1g,      1073741824",
            "1G,      1073741824",
            "1T,      1099511627776",
            "1P,      1125899906842624",
            "1E,      1152921504606846976",
            "0.5G,    536870912",     // QEMU 7.2: size=0.5G → 536870912
            "1.5K,    1536",          // QEMU 7.2: 1536
            "1.3333K, 1365",          // QEMU 7.2: 1365 (truncated)
            "0x10,    16",            // QEMU 7.2: 16
            "' 4k',   4096",          // QEMU 7.2: 4096
            "15E,     -1152921504606846976", // 15 EiB = 0xF000000000000000, kept as its bit pattern
            "1.K,     1024",          // QEMU 7.2: 1024 (a fraction without digits)
            "1.,      1",             // QEMU 7.2: 1
            "1.0,     1",             // QEMU 7.2: 1 (a fraction of zero needs no suffix)
            "1.0B,    1",             // QEMU 7.2: 1
            "010,     10",            // QEMU 7.2: 10 (sizes are decimal, never octal)
        })
        void parsesSizesWithPowersOf1024(String text, long expected) throws BadValue {
            assertEquals(expected, ValueParsers.parseSize(text));
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "1.5",     // QEMU 7.2: fraction without suffix rejected
            "1KB",     // QEMU 7.2 rejected
            "16E",     // 2^64: QEMU 7.2 rejected
            "-1",      // QEMU 7.2 rejected
            "1e3",     // QEMU 7.2 rejected
            "0.1B",    // QEMU 7.2 rejected
            "8EiB",    // QEMU 7.2 rejected
            "0x10K",   // 7.2 warned, 8.0 rejects: we follow 8.0
            "1.5B",    // QEMU 7.2 rejected
            ".5K",     // QEMU 7.2 rejected
            "1.5e0K",  // QEMU 7.2 rejected
            "0x10.5K", // QEMU 7.2 rejected
            "", "K", "abc", "1..5K", "1 K"})
        void rejectsInvalidSizes(String text) {
            assertThrows(BadValue.class, () -> ValueParsers.parseSize(text));
        }
    }
}
