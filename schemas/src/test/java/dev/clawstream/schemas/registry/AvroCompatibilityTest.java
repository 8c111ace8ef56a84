package dev.clawstream.schemas.registry;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AvroCompatibilityTest {

    private static final Schema USER_V1 = parse("""
            {"type":"record","name":"User","fields":[{"name":"name","type":"string"}]}""");
    private static final Schema USER_WITH_DEFAULTED_AGE = parse("""
            {"type":"record","name":"User","fields":[{"name":"name","type":"string"},
             {"name":"age","type":"int","default":0}]}""");
    private static final Schema USER_WITH_REQUIRED_EMAIL = parse("""
            {"type":"record","name":"User","fields":[{"name":"name","type":"string"},
             {"name":"email","type":"string"}]}""");

    @Test
    void addingAFieldWithADefaultIsBackwardCompatible() {
        assertThat(AvroCompatibility.incompatibilities(CompatibilityLevel.BACKWARD, USER_WITH_DEFAULTED_AGE,
                List.of(USER_V1))).isEmpty();
    }

    @Test
    void addingAFieldWithoutADefaultIsNotBackwardCompatibleAndNamesTheField() {
        List<String> messages = AvroCompatibility.incompatibilities(CompatibilityLevel.BACKWARD,
                USER_WITH_REQUIRED_EMAIL, List.of(USER_V1));

        assertThat(messages).singleElement().asString()
                .contains("READER_FIELD_MISSING_DEFAULT_VALUE")
                .contains("email")
                .contains("/fields/1");
    }

    @Test
    void addingAFieldWithoutADefaultIsForwardCompatible() {
        assertThat(AvroCompatibility.incompatibilities(CompatibilityLevel.FORWARD, USER_WITH_REQUIRED_EMAIL,
                List.of(USER_V1))).isEmpty();
    }

    @Test
    void addingAFieldWithoutADefaultBreaksFullCompatibility() {
        assertThat(AvroCompatibility.incompatibilities(CompatibilityLevel.FULL, USER_WITH_REQUIRED_EMAIL,
                List.of(USER_V1))).isNotEmpty();
    }

    @Test
    void removingAnEnumSymbolIsNotBackwardCompatible() {
        Schema colours = parse("""
                {"type":"enum","name":"Colour","symbols":["RED","GREEN","BLUE"]}""");
        Schema fewerColours = parse("""
                {"type":"enum","name":"Colour","symbols":["RED","GREEN"]}""");

        assertThat(AvroCompatibility.incompatibilities(CompatibilityLevel.BACKWARD, fewerColours, List.of(colours)))
                .singleElement().asString()
                .contains("MISSING_ENUM_SYMBOLS")
                .contains("BLUE");
    }

    @Test
    void changingAFieldFromIntToStringIsNotCompatibleEitherWay() {
        Schema intCount = parse("""
                {"type":"record","name":"Counter","fields":[{"name":"count","type":"int"}]}""");
        Schema stringCount = parse("""
                {"type":"record","name":"Counter","fields":[{"name":"count","type":"string"}]}""");

        assertThat(AvroCompatibility.incompatibilities(CompatibilityLevel.BACKWARD, stringCount, List.of(intCount)))
                .singleElement().asString()
                .contains("TYPE_MISMATCH")
                .contains("/fields/0/type");
        assertThat(AvroCompatibility.incompatibilities(CompatibilityLevel.FORWARD, stringCount, List.of(intCount)))
                .isNotEmpty();
    }

    @Test
    void transitiveLevelsCheckEveryEarlierVersionAndPlainLevelsOnlyTheLatest() {
        // v1 requires "email" and v2 drops it; a reader still on v1 cannot read v3's data, because v3
        // has no "email" and v1 gives it no default. Only the transitive check looks back that far.
        Schema v1 = USER_WITH_REQUIRED_EMAIL;
        Schema v2 = USER_V1;
        Schema v3 = USER_WITH_DEFAULTED_AGE;

        assertThat(AvroCompatibility.incompatibilities(CompatibilityLevel.FORWARD, v3, List.of(v1, v2))).isEmpty();
        assertThat(AvroCompatibility.incompatibilities(CompatibilityLevel.FORWARD_TRANSITIVE, v3, List.of(v1, v2)))
                .singleElement().asString()
                .contains("earlier schema 1 of 2")
                .contains("email");
    }

    @Test
    void noneAcceptsAnything() {
        Schema unrelated = parse("\"long\"");

        assertThat(AvroCompatibility.incompatibilities(CompatibilityLevel.NONE, unrelated,
                List.of(USER_V1, USER_WITH_REQUIRED_EMAIL))).isEmpty();
    }

    @Test
    void theFirstVersionOfASubjectIsAlwaysCompatible() {
        assertThat(AvroCompatibility.incompatibilities(CompatibilityLevel.FULL_TRANSITIVE, USER_V1, List.of()))
                .isEmpty();
    }

    @Test
    void parsingALevelIgnoresCaseAndRejectsUnknownNames() {
        assertThat(CompatibilityLevel.parse("full_transitive")).contains(CompatibilityLevel.FULL_TRANSITIVE);
        assertThat(CompatibilityLevel.parse("SIDEWAYS")).isEmpty();
        assertThat(CompatibilityLevel.parse(null)).isEmpty();
    }

    private static Schema parse(String json) {
        return new Schema.Parser().parse(json);
    }
}
