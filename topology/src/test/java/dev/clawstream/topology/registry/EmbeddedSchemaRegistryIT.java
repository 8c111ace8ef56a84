package dev.clawstream.topology.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clawstream.topology.embedded.EmbeddedKafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedSchemaRegistryIT {

    private static final String USER = """
            {"type":"record","name":"User","fields":[{"name":"name","type":"string"}]}""";
    private static final String USER_REFORMATTED = """
            {"name": "User", "type": "record",
             "fields": [{"type": "string", "name": "name"}]}""";
    private static final String USER_WITH_DEFAULTED_AGE = """
            {"type":"record","name":"User","fields":[{"name":"name","type":"string"},
             {"name":"age","type":"int","default":0}]}""";
    private static final String USER_WITH_REQUIRED_EMAIL = """
            {"type":"record","name":"User","fields":[{"name":"name","type":"string"},
             {"name":"email","type":"string"}]}""";
    private static final Duration AGREEMENT_DEADLINE = Duration.ofSeconds(15);

    private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper json = new ObjectMapper();

    @TempDir
    static Path sharedBrokerDir;
    private static EmbeddedKafkaBroker broker;
    private static EmbeddedSchemaRegistry registryA;
    private static EmbeddedSchemaRegistry registryB;

    @BeforeAll
    static void startBrokerAndTwoRegistries() throws IOException {
        broker = EmbeddedKafkaBroker.start(sharedBrokerDir, 0, 0);
        registryA = EmbeddedSchemaRegistry.start(broker.bootstrapServers(), "localhost", 0);
        registryB = EmbeddedSchemaRegistry.start(broker.bootstrapServers(), "localhost", 0);
    }

    @AfterAll
    static void stopEverything() {
        if (registryB != null) {
            registryB.close();
        }
        if (registryA != null) {
            registryA.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void registeringTheSameSchemaAgainAnswersTheSameIdWithoutANewVersion() throws Exception {
        Reply first = post(registryA, "/subjects/same-again-value/versions", schemaBody(USER));
        Reply again = post(registryA, "/subjects/same-again-value/versions", schemaBody(USER_REFORMATTED));

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.contentType()).startsWith("application/vnd.schemaregistry.v1+json");
        assertThat(first.body().get("id").isInt()).isTrue();
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(get(registryA, "/subjects/same-again-value/versions").body().toString()).isEqualTo("[1]");
    }

    @Test
    void theSameSchemaUnderAnotherSubjectKeepsItsId() throws Exception {
        int id = register(registryA, "shared-one-value", USER_WITH_DEFAULTED_AGE);

        assertThat(register(registryA, "shared-two-value", USER_WITH_DEFAULTED_AGE)).isEqualTo(id);
    }

    @Test
    void everyReadEndpointAnswersInConfluentsShape() throws Exception {
        String subject = "reads-value";
        int v1 = register(registryA, subject, USER);
        int v2 = register(registryA, subject, USER_WITH_DEFAULTED_AGE);

        assertThat(get(registryA, "/subjects").body()).contains(json.getNodeFactory().textNode(subject));
        assertThat(get(registryA, "/subjects/" + subject + "/versions").body().toString()).isEqualTo("[1,2]");

        JsonNode version1 = get(registryA, "/subjects/" + subject + "/versions/1").body();
        assertThat(version1.get("subject").asText()).isEqualTo(subject);
        assertThat(version1.get("version").asInt()).isEqualTo(1);
        assertThat(version1.get("id").asInt()).isEqualTo(v1);
        assertThat(json.readTree(version1.get("schema").asText())).isEqualTo(json.readTree(USER));

        for (String latest : List.of("latest", "-1")) {
            JsonNode answer = get(registryA, "/subjects/" + subject + "/versions/" + latest).body();
            assertThat(answer.get("version").asInt()).isEqualTo(2);
            assertThat(answer.get("id").asInt()).isEqualTo(v2);
        }

        JsonNode byId = get(registryA, "/schemas/ids/" + v2).body();
        assertThat(json.readTree(byId.get("schema").asText())).isEqualTo(json.readTree(USER_WITH_DEFAULTED_AGE));

        Reply lookup = post(registryA, "/subjects/" + subject, schemaBody(USER_REFORMATTED));
        assertThat(lookup.status()).isEqualTo(200);
        assertThat(lookup.body().get("version").asInt()).isEqualTo(1);
        assertThat(lookup.body().get("id").asInt()).isEqualTo(v1);
        assertThat(lookup.body().get("subject").asText()).isEqualTo(subject);

        assertError(post(registryA, "/subjects/" + subject, schemaBody(USER_WITH_REQUIRED_EMAIL)), 404, 40403);
        assertError(post(registryA, "/subjects/no-such-subject", schemaBody(USER)), 404, 40401);
        assertError(get(registryA, "/subjects/" + subject + "/versions/3"), 404, 40402);
        assertError(get(registryA, "/subjects/" + subject + "/versions/one"), 422, 42202);
        assertError(get(registryA, "/subjects/no-such-subject/versions"), 404, 40401);
        assertError(get(registryA, "/subjects/no-such-subject/versions/1"), 404, 40401);
    }

    @Test
    void anIncompatibleSchemaIsRefusedWith409AndErrorCode40901() throws Exception {
        String subject = "incompatible-value";
        register(registryA, subject, USER);

        Reply refused = post(registryA, "/subjects/" + subject + "/versions", schemaBody(USER_WITH_REQUIRED_EMAIL));

        assertError(refused, 409, 40901);
        assertThat(refused.body().get("message").asText()).contains("email");
        assertThat(get(registryA, "/subjects/" + subject + "/versions").body().toString()).isEqualTo("[1]");
    }

    @Test
    void theCompatibilityEndpointAnswersWithoutRegistering() throws Exception {
        String subject = "compat-check-value";
        String path = "/compatibility/subjects/" + subject + "/versions/latest";

        // Nothing registered yet: Confluent answers compatible rather than 40401.
        assertThat(post(registryA, path, schemaBody(USER)).body().toString()).isEqualTo("{\"is_compatible\":true}");

        register(registryA, subject, USER);
        assertThat(post(registryA, path, schemaBody(USER_WITH_DEFAULTED_AGE)).body().get("is_compatible").asBoolean())
                .isTrue();
        JsonNode verbose = post(registryA, path + "?verbose=true", schemaBody(USER_WITH_REQUIRED_EMAIL)).body();
        assertThat(verbose.get("is_compatible").asBoolean()).isFalse();
        assertThat(verbose.get("messages").toString()).contains("email");
        assertThat(get(registryA, "/subjects/" + subject + "/versions").body().toString()).isEqualTo("[1]");
    }

    @Test
    void anUnknownIdAnswers404WithSchemaNotFound() throws Exception {
        Reply reply = get(registryA, "/schemas/ids/987654");

        assertThat(reply.body().toString()).isEqualTo("{\"error_code\":40403,\"message\":\"Schema not found\"}");
        assertThat(reply.status()).isEqualTo(404);
    }

    @Test
    void invalidSchemasAndOtherSchemaTypesAreRefusedWith422() throws Exception {
        assertError(post(registryA, "/subjects/invalid-value/versions", schemaBody("{\"type\":\"recrod\"}")),
                422, 42201);
        Reply protobuf = post(registryA, "/subjects/invalid-value/versions",
                "{\"schemaType\":\"PROTOBUF\",\"schema\":\"syntax = \\\"proto3\\\";\"}");
        assertError(protobuf, 422, 42201);
        assertThat(protobuf.body().get("message").asText()).contains("PROTOBUF").contains("AVRO");
        assertThat(get(registryA, "/subjects").body().toString()).doesNotContain("invalid-value");
    }

    @Test
    void compatibilityLevelsAreReadAndSetGloballyAndPerSubject() throws Exception {
        assertThat(get(registryA, "/config").body().toString()).isEqualTo("{\"compatibilityLevel\":\"BACKWARD\"}");
        assertThat(put(registryA, "/config", "{\"compatibility\":\"BACKWARD\"}").body().toString())
                .isEqualTo("{\"compatibility\":\"BACKWARD\"}");
        assertError(put(registryA, "/config", "{\"compatibility\":\"SIDEWAYS\"}"), 422, 42203);

        String subject = "configured-value";
        assertError(get(registryA, "/config/" + subject), 404, 40408);
        assertThat(get(registryA, "/config/" + subject + "?defaultToGlobal=true").body().toString())
                .isEqualTo("{\"compatibilityLevel\":\"BACKWARD\"}");

        assertThat(put(registryA, "/config/" + subject, "{\"compatibility\":\"NONE\"}").body().toString())
                .isEqualTo("{\"compatibility\":\"NONE\"}");
        assertThat(get(registryA, "/config/" + subject).body().toString())
                .isEqualTo("{\"compatibilityLevel\":\"NONE\"}");

        // NONE lets the subject take a schema BACKWARD would refuse.
        register(registryA, subject, USER);
        assertThat(register(registryA, subject, USER_WITH_REQUIRED_EMAIL)).isPositive();
    }

    @Test
    void unknownRoutesAnswer404InConfluentsErrorShape() throws Exception {
        Reply reply = get(registryA, "/no/such/route");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.body().toString()).isEqualTo("{\"error_code\":404,\"message\":\"HTTP 404 Not Found\"}");
    }

    @Test
    void aSecondInstanceReadingTheTopicAnswersTheSameId() throws Exception {
        String subject = "seen-by-b-value";
        int id = register(registryA, subject, USER);

        awaitTrue(() -> get(registryB, "/subjects/" + subject + "/versions/latest").status() == 200);

        JsonNode onB = get(registryB, "/subjects/" + subject + "/versions/latest").body();
        assertThat(onB.get("id").asInt()).isEqualTo(id);
        assertThat(get(registryB, "/schemas/ids/" + id).status()).isEqualTo(200);
        // B catches up before registering, so it reuses A's id instead of minting its own.
        assertThat(register(registryB, subject, USER_REFORMATTED)).isEqualTo(id);
    }

    @Test
    void concurrentRegistrationsOnTwoInstancesGetDistinctIdsBothInstancesAgreeOn() throws Exception {
        String subject = "race-value";
        put(registryA, "/config/" + subject, "{\"compatibility\":\"NONE\"}");
        int perInstance = 4;
        List<Callable<Integer>> registrations = new ArrayList<>();
        for (int i = 0; i < perInstance; i++) {
            String onA = "{\"type\":\"record\",\"name\":\"RaceA" + i + "\",\"fields\":[]}";
            String onB = "{\"type\":\"record\",\"name\":\"RaceB" + i + "\",\"fields\":[]}";
            registrations.add(() -> register(registryA, subject, onA));
            registrations.add(() -> register(registryB, subject, onB));
        }
        ExecutorService pool = Executors.newFixedThreadPool(registrations.size());
        List<Integer> ids = new ArrayList<>();
        try {
            for (Future<Integer> id : pool.invokeAll(registrations, 60, TimeUnit.SECONDS)) {
                ids.add(id.get());
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(new HashSet<>(ids)).hasSize(2 * perInstance);
        awaitTrue(() -> get(registryB, "/subjects/" + subject + "/versions").body().size() == 2 * perInstance
                && get(registryA, "/subjects/" + subject + "/versions").body().size() == 2 * perInstance);
        for (int version = 1; version <= 2 * perInstance; version++) {
            JsonNode onA = get(registryA, "/subjects/" + subject + "/versions/" + version).body();
            JsonNode onB = get(registryB, "/subjects/" + subject + "/versions/" + version).body();
            assertThat(onB).isEqualTo(onA);
            assertThat(ids).contains(onA.get("id").asInt());
        }
    }

    @Test
    void idsAndVersionsSurviveARestartOfTheBrokerAndTheRegistry(@TempDir Path ownBrokerDir) throws Exception {
        int userId;
        int extendedId;
        int otherSubjectId;
        try (EmbeddedKafkaBroker first = EmbeddedKafkaBroker.start(ownBrokerDir, 0, 0);
             EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(first.bootstrapServers(), "localhost", 0)) {
            register(registry, "filler-value", "\"string\"");
            userId = register(registry, "restart-value", USER);
            extendedId = register(registry, "restart-value", USER_WITH_DEFAULTED_AGE);
            otherSubjectId = register(registry, "restart-other-value", USER);
        }

        try (EmbeddedKafkaBroker second = EmbeddedKafkaBroker.start(ownBrokerDir, 0, 0);
             EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(second.bootstrapServers(), "localhost", 0)) {
            assertThat(otherSubjectId).isEqualTo(userId);
            assertThat(get(registry, "/subjects/restart-value/versions").body().toString()).isEqualTo("[1,2]");
            assertThat(get(registry, "/subjects/restart-value/versions/1").body().get("id").asInt()).isEqualTo(userId);
            assertThat(get(registry, "/subjects/restart-value/versions/2").body().get("id").asInt())
                    .isEqualTo(extendedId);
            assertThat(get(registry, "/subjects/restart-other-value/versions/1").body().get("id").asInt())
                    .isEqualTo(userId);
            assertThat(register(registry, "restart-value", USER_WITH_DEFAULTED_AGE)).isEqualTo(extendedId);
            // A new schema after the restart continues the id sequence instead of reusing an old id.
            assertThat(register(registry, "restart-new-value", "\"long\"")).isGreaterThan(extendedId);
        }
    }

    @Test
    void closingTwiceIsHarmless() throws Exception {
        EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(broker.bootstrapServers(), "localhost", 0);
        assertThat(registry.url()).isEqualTo("http://localhost:" + registry.port());
        assertThat(get(registry, "/subjects").status()).isEqualTo(200);

        registry.close();
        registry.close();
    }

    private static int register(EmbeddedSchemaRegistry registry, String subject, String schema) throws Exception {
        Reply reply = post(registry, "/subjects/" + subject + "/versions", schemaBody(schema));
        assertThat(reply.status()).as("registering under %s: %s", subject, reply.body()).isEqualTo(200);
        return reply.body().get("id").asInt();
    }

    private static String schemaBody(String schema) throws IOException {
        return json.writeValueAsString(java.util.Map.of("schema", schema));
    }

    private static void assertError(Reply reply, int status, int errorCode) {
        assertThat(reply.status()).as("status of %s", reply.body()).isEqualTo(status);
        assertThat(reply.body().get("error_code").asInt()).as("error_code of %s", reply.body()).isEqualTo(errorCode);
        assertThat(reply.body().get("message").isTextual()).isTrue();
        assertThat(reply.contentType()).startsWith("application/vnd.schemaregistry.v1+json");
    }

    /** Polls the condition until it holds or the deadline passes; the pause only spaces the polls. */
    private static void awaitTrue(CheckedCondition condition) throws Exception {
        long deadline = System.nanoTime() + AGREEMENT_DEADLINE.toNanos();
        while (!condition.holds()) {
            assertThat(System.nanoTime()).as("condition still false after %s", AGREEMENT_DEADLINE)
                    .isLessThan(deadline);
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }

    @FunctionalInterface
    private interface CheckedCondition {
        boolean holds() throws Exception;
    }

    private record Reply(int status, String contentType, JsonNode body) {
    }

    private static Reply get(EmbeddedSchemaRegistry registry, String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(registry, path)).GET());
    }

    private static Reply post(EmbeddedSchemaRegistry registry, String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(uri(registry, path))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static Reply put(EmbeddedSchemaRegistry registry, String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(uri(registry, path))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static URI uri(EmbeddedSchemaRegistry registry, String path) {
        return URI.create(registry.url() + path);
    }

    private static Reply send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = client.send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                json.readTree(response.body()));
    }
}
