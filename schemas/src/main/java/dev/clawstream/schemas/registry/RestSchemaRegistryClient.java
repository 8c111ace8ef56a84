package dev.clawstream.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small, caching client for the Confluent Schema Registry REST API. The same calls are served by
 * Confluent Schema Registry, Karapace, Redpanda's registry, Apicurio's compatibility API and
 * Clawstream's embedded registry, so one client talks to all of them.
 *
 * <p>We write our own because no Confluent client artifact is available from Maven Central; it covers
 * only the endpoints a serde and the CLI need. Schema ids are immutable in every registry, so
 * id-to-schema and schema-to-id answers are cached for the life of the client; subject listings are not.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

    /** Registry base URL, e.g. {@code http://localhost:8081}. Same key as Confluent's serdes. */
    public static final String URL_CONFIG = "schema.registry.url";
    /** {@code user:password} for HTTP basic auth (Confluent Cloud, secured registries). Same key as Confluent's. */
    public static final String BASIC_AUTH_USER_INFO_CONFIG = "basic.auth.user.info";

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final Optional<String> authorization;
    private final HttpClient http;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();

    private record SubjectSchema(String subject, Schema schema) { }

    /**
     * @param url           registry base URL; a trailing slash is ignored
     * @param basicUserInfo {@code user:password} for basic auth, or empty
     */
    public RestSchemaRegistryClient(String url, Optional<String> basicUserInfo) {
        Objects.requireNonNull(url, "url");
        String trimmed = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.base = URI.create(trimmed);
        if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme())) {
            throw new IllegalArgumentException("schema registry URL must be http or https: " + url);
        }
        this.authorization = basicUserInfo.filter(s -> !s.isEmpty()).map(userInfo -> "Basic "
                + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    }

    /** Builds a client from Kafka-style serde configuration ({@link #URL_CONFIG} is required). */
    public static RestSchemaRegistryClient fromConfig(Map<String, ?> config) {
        Object url = config.get(URL_CONFIG);
        if (url == null || url.toString().isBlank()) {
            throw new IllegalArgumentException("missing serde configuration '" + URL_CONFIG + "'");
        }
        Object userInfo = config.get(BASIC_AUTH_USER_INFO_CONFIG);
        return new RestSchemaRegistryClient(url.toString(),
                Optional.ofNullable(userInfo).map(Object::toString));
    }

    @Override
    public String url() {
        return base.toString();
    }

    @Override
    public int register(String subject, Schema schema) {
        return idsBySubjectSchema.computeIfAbsent(new SubjectSchema(subject, schema), key -> {
            JsonNode answer = send("POST", "/subjects/" + segment(subject) + "/versions", schemaBody(schema));
            int id = answer.path("id").asInt(-1);
            if (id < 0) {
                throw new SchemaRegistryException("registry answered without an id: " + answer, 200, 0);
            }
            schemasById.putIfAbsent(id, schema);
            return id;
        });
    }

    @Override
    public int idOf(String subject, Schema schema) {
        return idsBySubjectSchema.computeIfAbsent(new SubjectSchema(subject, schema), key -> {
            JsonNode answer = send("POST", "/subjects/" + segment(subject), schemaBody(schema));
            int id = answer.path("id").asInt(-1);
            schemasById.putIfAbsent(id, schema);
            return id;
        });
    }

    @Override
    public Schema schemaById(int id) {
        return schemasById.computeIfAbsent(id,
                key -> parse(send("GET", "/schemas/ids/" + id, null).path("schema").asText(), "schema id " + id));
    }

    @Override
    public RegisteredSchema latest(String subject) {
        JsonNode answer = send("GET", "/subjects/" + segment(subject) + "/versions/latest", null);
        Schema schema = parse(answer.path("schema").asText(), "subject " + subject);
        int id = answer.path("id").asInt();
        schemasById.putIfAbsent(id, schema);
        return new RegisteredSchema(answer.path("subject").asText(subject), answer.path("version").asInt(), id, schema);
    }

    @Override
    public List<String> subjects() {
        List<String> subjects = new ArrayList<>();
        send("GET", "/subjects", null).forEach(node -> subjects.add(node.asText()));
        subjects.sort(null);
        return List.copyOf(subjects);
    }

    @Override
    public List<Integer> versions(String subject) {
        List<Integer> versions = new ArrayList<>();
        send("GET", "/subjects/" + segment(subject) + "/versions", null).forEach(node -> versions.add(node.asInt()));
        return List.copyOf(versions);
    }

    @Override
    public boolean isCompatibleWithLatest(String subject, Schema schema) {
        JsonNode answer = send("POST", "/compatibility/subjects/" + segment(subject) + "/versions/latest",
                schemaBody(schema));
        return answer.path("is_compatible").asBoolean(false);
    }

    @Override
    public String globalCompatibility() {
        JsonNode answer = send("GET", "/config", null);
        // Confluent answers GET with compatibilityLevel; some registries echo PUT's field name instead.
        return answer.has("compatibilityLevel")
                ? answer.get("compatibilityLevel").asText()
                : answer.path("compatibility").asText();
    }

    @Override
    public void setGlobalCompatibility(String level) {
        ObjectNode body = JSON.createObjectNode().put("compatibility", level);
        send("PUT", "/config", body);
    }

    private static ObjectNode schemaBody(Schema schema) {
        return JSON.createObjectNode().put("schema", schema.toString());
    }

    private static Schema parse(String text, String what) {
        try {
            // A fresh parser per schema: one parser refuses to see the same named type twice.
            return new Schema.Parser().parse(text);
        } catch (SchemaParseException e) {
            throw new SchemaRegistryException("registry returned an unparseable schema for " + what, e);
        }
    }

    /** Percent-encodes one path segment; URLEncoder is for forms and would turn a space into '+'. */
    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode send(String method, String path, JsonNode body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(TIMEOUT)
                .header("Accept", CONTENT_TYPE + ", application/json");
        authorization.ifPresent(value -> request.header("Authorization", value));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", CONTENT_TYPE);
            request.method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SchemaRegistryException("schema registry at " + base + " is unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("interrupted while calling the schema registry at " + base, e);
        }
        JsonNode answer = readJson(response);
        if (response.statusCode() / 100 != 2) {
            int code = answer.path("error_code").asInt(response.statusCode());
            String message = answer.path("message").asText(response.body());
            throw new SchemaRegistryException(method + " " + path + " -> HTTP " + response.statusCode()
                    + " (error_code " + code + "): " + message, response.statusCode(), code);
        }
        return answer;
    }

    private static JsonNode readJson(HttpResponse<String> response) {
        String text = response.body();
        if (text == null || text.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            // A proxy's HTML error page, say: keep the status, show the start of the body.
            String start = text.length() > 200 ? text.substring(0, 200) + "..." : text;
            return JSON.createObjectNode().put("message", start);
        }
    }
}
