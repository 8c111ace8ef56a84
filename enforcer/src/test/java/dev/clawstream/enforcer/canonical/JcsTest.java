package dev.clawstream.enforcer.canonical;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link Jcs} against RFC 8785's own vectors: a WPC hash is only portable if these all hold. */
class JcsTest {

    /** RFC 8785 section 3.2.4: the UTF-8 bytes of the section 3.2.2 sample after canonicalisation. */
    private static final String SECTION_3_2_4_HEX = """
            7b 22 6c 69 74 65 72 61 6c 73 22 3a 5b 6e 75 6c 6c 2c 74 72
            75 65 2c 66 61 6c 73 65 5d 2c 22 6e 75 6d 62 65 72 73 22 3a
            5b 33 33 33 33 33 33 33 33 33 2e 33 33 33 33 33 33 33 2c 31
            65 2b 33 30 2c 34 2e 35 2c 30 2e 30 30 32 2c 31 65 2d 32 37
            5d 2c 22 73 74 72 69 6e 67 22 3a 22 e2 82 ac 24 5c 75 30 30
            30 66 5c 6e 41 27 42 5c 22 5c 5c 5c 5c 5c 22 2f 22 7d
            """;

    @Test
    void everyReferenceVectorCanonicalisesToItsExpectedBytes() {
        List<String> failures = new ArrayList<>();
        for (String name : List.of("arrays", "french", "structures", "unicode", "values", "weird")) {
            byte[] expected = resource("jcs/output/" + name + ".json");
            byte[] actual = Jcs.canonicalize(new String(resource("jcs/input/" + name + ".json"), StandardCharsets.UTF_8));
            if (!java.util.Arrays.equals(expected, actual)) {
                failures.add(name + ": got " + new String(actual, StandardCharsets.UTF_8)
                        + ", want " + new String(expected, StandardCharsets.UTF_8));
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void section322SampleYieldsTheBytesOfSection324() {
        String sample = new String(resource("jcs/input/values.json"), StandardCharsets.UTF_8);
        byte[] expected = HexFormat.of().parseHex(SECTION_3_2_4_HEX.replaceAll("\\s", ""));

        assertThat(Jcs.canonicalize(sample)).isEqualTo(expected);
    }

    @Test
    void propertiesSortByUtf16CodeUnitsAsInSection323() {
        String sample = """
                {
                  "\\u20ac": "Euro Sign",
                  "\\r": "Carriage Return",
                  "\\ufb33": "Hebrew Letter Dalet With Dagesh",
                  "1": "One",
                  "\\ud83d\\ude00": "Emoji: Grinning Face",
                  "\\u0080": "Control",
                  "\\u00f6": "Latin Small Letter O With Diaeresis"
                }
                """;

        String canonical = Jcs.canonicalString(sample);

        assertThat(valuesInOrder(canonical, List.of("Carriage Return", "One", "Control",
                "Latin Small Letter O With Diaeresis", "Euro Sign", "Emoji: Grinning Face",
                "Hebrew Letter Dalet With Dagesh"))).isTrue();
    }

    /** RFC 8785 Appendix B, Table 1 (the NaN and Infinity rows are covered by refusesNonFiniteNumbers). */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "0000000000000000, 0",
            "8000000000000000, 0",
            "0000000000000001, 5e-324",
            "8000000000000001, -5e-324",
            "7fefffffffffffff, 1.7976931348623157e+308",
            "ffefffffffffffff, -1.7976931348623157e+308",
            "4340000000000000, 9007199254740992",
            "c340000000000000, -9007199254740992",
            "4430000000000000, 295147905179352830000",
            "44b52d02c7e14af5, 9.999999999999997e+22",
            "44b52d02c7e14af6, 1e+23",
            "44b52d02c7e14af7, 1.0000000000000001e+23",
            "444b1ae4d6e2ef4e, 999999999999999700000",
            "444b1ae4d6e2ef4f, 999999999999999900000",
            "444b1ae4d6e2ef50, 1e+21",
            "3eb0c6f7a0b5ed8c, 9.999999999999997e-7",
            "3eb0c6f7a0b5ed8d, 0.000001",
            "41b3de4355555553, 333333333.3333332",
            "41b3de4355555554, 333333333.33333325",
            "41b3de4355555555, 333333333.3333333",
            "41b3de4355555556, 333333333.3333334",
            "41b3de4355555557, 333333333.33333343",
            "becbf647612f3696, -0.0000033333333333333333",
            "43143ff3c1cb0959, 1424953923781206.2",
    })
    void serialisesNumbersAsAppendixB(String ieee754Hex, String expected) {
        double value = Double.longBitsToDouble(Long.parseUnsignedLong(ieee754Hex, 16));
        // BigDecimal prints the exact binary value, so the parser under test sees no rounding of ours.
        String json = "[" + new java.math.BigDecimal(value).toString() + "]";

        assertThat(Jcs.canonicalString(json)).isEqualTo("[" + expected + "]");
    }

    @Test
    void oneTenMillionthSwitchesToExponentNotation() {
        assertThat(Jcs.canonicalString("[0.000001, 0.0000001, 1e-7]")).isEqualTo("[0.000001,1e-7,1e-7]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1e400]", "[-1e400]", "[NaN]", "[Infinity]"})
    void refusesNonFiniteNumbers(String json) {
        assertThatThrownBy(() -> Jcs.canonicalize(json)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hashIsSha256OfTheCanonicalBytes() {
        // printf '%s' '{"a":1,"b":[true]}' | sha256sum
        assertThat(Jcs.hash("{ \"b\": [ true ], \"a\": 1.0 }").toString())
                .isEqualTo("sha256:90eddf64b875cb5fa184bb12503cc7309b6ce21b175521a80bd8d83082bae604");
    }

    private static boolean valuesInOrder(String canonical, List<String> values) {
        int from = 0;
        for (String value : values) {
            int at = canonical.indexOf('"' + value + '"', from);
            if (at < 0) {
                return false;
            }
            from = at;
        }
        return true;
    }

    static byte[] resource(String name) {
        try (InputStream in = JcsTest.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
