package dev.clawstream.topology.registry;

import dev.clawstream.schemas.registry.CompatibilityLevel;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RegistryStateTest {

    private static final String USER = """
            {"type":"record","name":"User","fields":[{"name":"name","type":"string"}]}""";
    private static final String USER_SPACED = """
            { "type" : "record", "name" : "User",
              "fields" : [ { "type" : "string", "name" : "name" } ] }""";
    private static final String ORDER = """
            {"type":"record","name":"Order","fields":[{"name":"total","type":"long"}]}""";

    private final RegistryState state = new RegistryState();

    @Test
    void appliedSchemaVersionsAnswerEveryQuery() {
        state.apply(schema("users", 1, 1, USER));
        state.apply(schema("users", 2, 2, ORDER));

        assertThat(state.subjects()).containsExactly("users");
        assertThat(state.versions("users")).containsExactly(1, 2);
        assertThat(state.schemaById(1)).contains(USER);
        assertThat(state.version("users", 1)).contains(new SubjectVersion("users", 1, 1, USER));
        assertThat(state.latest("users")).contains(new SubjectVersion("users", 2, 2, ORDER));
        assertThat(state.lookup("users", text(USER_SPACED))).map(SubjectVersion::version).contains(1);
        assertThat(state.liveSchemas("users")).hasSize(2);
    }

    @Test
    void unknownSubjectsVersionsAndIdsAnswerEmpty() {
        assertThat(state.subjects()).isEmpty();
        assertThat(state.versions("nope")).isEmpty();
        assertThat(state.schemaById(1)).isEmpty();
        assertThat(state.latest("nope")).isEmpty();
        assertThat(state.lookup("nope", text(USER))).isEmpty();
    }

    @Test
    void theSameSchemaUnderAnotherSubjectReusesItsId() {
        state.apply(schema("a", 1, 1, USER));

        RegistryRecord.SchemaVersion claim = state.nextClaim("b", text(USER_SPACED));

        assertThat(claim.id()).isEqualTo(1);
        assertThat(claim.version()).isEqualTo(1);
        assertThat(state.apply(claim)).isTrue();
        assertThat(state.subjects()).containsExactly("a", "b");
    }

    @Test
    void aNewSchemaGetsTheNextIdAndTheNextVersion() {
        state.apply(schema("a", 1, 7, USER));

        RegistryRecord.SchemaVersion claim = state.nextClaim("a", text(ORDER));

        assertThat(claim.id()).isEqualTo(8);
        assertThat(claim.version()).isEqualTo(2);
    }

    @Test
    void aRecordClaimingAnIdBoundToADifferentSchemaIsIgnored() {
        state.apply(schema("a", 1, 1, USER));

        assertThat(state.apply(schema("b", 1, 1, ORDER))).isFalse();

        assertThat(state.subjects()).containsExactly("a");
        assertThat(state.schemaById(1)).contains(USER);
    }

    @Test
    void aRecordClaimingATakenVersionIsIgnoredAndTheWinnerCanBeReasserted() {
        state.apply(schema("a", 1, 1, USER));
        RegistryRecord.SchemaVersion loser = schema("a", 1, 2, ORDER);

        assertThat(state.apply(loser)).isFalse();

        assertThat(state.holds(loser)).isFalse();
        assertThat(state.version("a", 1)).map(SubjectVersion::id).contains(1);
        assertThat(state.schemaById(2)).isEmpty();
        assertThat(state.winnerOf(loser)).contains(schema("a", 1, 1, USER));
        assertThat(state.apply(state.winnerOf(loser).orElseThrow())).isTrue();
        assertThat(state.versions("a")).containsExactly(1);
    }

    @Test
    void twoClaimsForTheSameIdAndVersionFromOneInstanceHaveOneWinner() {
        RegistryRecord.SchemaVersion user = state.nextClaim("a", text(USER));
        RegistryRecord.SchemaVersion order = state.nextClaim("a", text(ORDER));
        assertThat(order.id()).isEqualTo(user.id());

        state.apply(user);
        state.apply(order);

        assertThat(state.holds(user)).isTrue();
        assertThat(state.holds(order)).isFalse();
        assertThat(state.winnerOf(order)).contains(user);
        assertThat(state.winnerOf(user)).isEmpty();
    }

    @Test
    void aRecordGivingAKnownSchemaASecondIdIsIgnored() {
        state.apply(schema("a", 1, 1, USER));

        assertThat(state.apply(schema("b", 1, 2, USER_SPACED))).isFalse();
        assertThat(state.subjects()).containsExactly("a");
    }

    @Test
    void aSubjectCannotHoldTheSameSchemaAtTwoLiveVersions() {
        state.apply(schema("a", 1, 1, USER));

        assertThat(state.apply(schema("a", 2, 1, USER))).isFalse();
        assertThat(state.versions("a")).containsExactly(1);
    }

    @Test
    void twoReadersOfRacingRecordsAgree() {
        RegistryRecord[] log = {
            schema("a", 1, 1, USER), schema("b", 1, 1, ORDER), schema("b", 1, 2, ORDER), schema("a", 1, 2, ORDER),
        };
        RegistryState other = new RegistryState();
        for (RegistryRecord record : log) {
            state.apply(record);
            other.apply(record);
        }

        assertThat(state.version("a", 1)).isEqualTo(other.version("a", 1)).map(SubjectVersion::id).contains(1);
        assertThat(state.version("b", 1)).isEqualTo(other.version("b", 1)).map(SubjectVersion::id).contains(2);
    }

    @Test
    void aTombstoneRemovesTheVersionButItsIdIsNeverHandedOutAgain() {
        state.apply(schema("a", 1, 1, USER));
        state.apply(schema("a", 2, 2, ORDER));

        assertThat(state.apply(new RegistryRecord.SchemaVersionTombstone("a", 2))).isTrue();

        assertThat(state.versions("a")).containsExactly(1);
        assertThat(state.schemaById(2)).isEmpty();
        assertThat(state.nextClaim("a", text("\"string\"")).id()).isEqualTo(3);
    }

    @Test
    void aSoftDeletedVersionIsHiddenButItsSchemaStillAnswersById() {
        state.apply(schema("a", 1, 1, USER));
        state.apply(new RegistryRecord.SchemaVersion("a", 1, 1, USER, true));

        assertThat(state.subjects()).isEmpty();
        assertThat(state.versions("a")).isEmpty();
        assertThat(state.schemaById(1)).contains(USER);
        assertThat(state.nextClaim("a", text(USER)).version()).isEqualTo(2);
    }

    @Test
    void subjectConfigOverridesGlobalWhichOverridesTheDefault() {
        assertThat(state.effectiveLevel("a")).isEqualTo(CompatibilityLevel.BACKWARD);

        state.apply(new RegistryRecord.Config(Optional.empty(), CompatibilityLevel.FULL));
        assertThat(state.effectiveLevel("a")).isEqualTo(CompatibilityLevel.FULL);

        state.apply(new RegistryRecord.Config(Optional.of("a"), CompatibilityLevel.NONE));
        assertThat(state.effectiveLevel("a")).isEqualTo(CompatibilityLevel.NONE);
        assertThat(state.effectiveLevel("b")).isEqualTo(CompatibilityLevel.FULL);

        state.apply(new RegistryRecord.ConfigTombstone(Optional.of("a")));
        assertThat(state.subjectLevel("a")).isEmpty();
        assertThat(state.effectiveLevel("a")).isEqualTo(CompatibilityLevel.FULL);
    }

    private static RegistryRecord.SchemaVersion schema(String subject, int version, int id, String text) {
        return new RegistryRecord.SchemaVersion(subject, version, id, text, false);
    }

    private static AvroSchemaText text(String schema) {
        return AvroSchemaText.parse(schema).schema().orElseThrow();
    }
}
