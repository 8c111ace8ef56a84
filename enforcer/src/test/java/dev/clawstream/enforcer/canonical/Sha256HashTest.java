package dev.clawstream.enforcer.canonical;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Sha256HashTest {

    /** FIPS 180-2 appendix B.1: SHA-256("abc"). */
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @Test
    void digestsAsFips180Example() {
        assertThat(Sha256Hash.of("abc".getBytes(StandardCharsets.US_ASCII)).toString()).isEqualTo("sha256:" + ABC);
    }

    @Test
    void parseReadsWhatToStringWrites() {
        Sha256Hash hash = Sha256Hash.parse("sha256:" + ABC);

        assertThat(hash.hex()).isEqualTo(ABC);
        assertThat(Sha256Hash.parse(hash.toString())).isEqualTo(hash);
        assertThat(hash.bytes()).hasSize(32);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "sha256:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD",
            "SHA256:" + ABC,
            "sha512:" + ABC,
            ABC,
            "sha256:" + ABC + "00",
            "sha256:" + "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a",
            "sha256: " + ABC,
            "b64u:ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0",
    })
    void parseRefusesEverySpellingButTheCanonicalOne(String text) {
        assertThatThrownBy(() -> Sha256Hash.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
