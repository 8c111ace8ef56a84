package dev.clawstream.topology.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawstream.schemas.registry.AvroCompatibility;
import dev.clawstream.schemas.registry.CompatibilityLevel;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The subset of the Confluent Schema Registry REST protocol Clawstream serves: the same paths, bodies,
 * status codes and Confluent error codes, so a Confluent client cannot tell this registry apart.
 */
final class RegistryRoutes {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    /** The request body types Confluent's registry accepts. */
    private static final Set<String> BODY_TYPES = Set.of(
            "application/json", "application/vnd.schemaregistry.v1+json", "application/vnd.schemaregistry+json");
    private static final String AVRO = "AVRO";
    private static final String LATEST = "latest";

    private static final Logger log = LoggerFactory.getLogger(RegistryRoutes.class);

    private final RegistryState state;
    private final SchemaRegistrar registrar;
    private final ObjectMapper json = new ObjectMapper();

    RegistryRoutes(RegistryState state, SchemaRegistrar registrar) {
        this.state = state;
        this.registrar = registrar;
    }

    void declare(RoutesConfig routes) {
        routes.get("/subjects", ctx -> respond(ctx, state.subjects()));
        routes.post("/subjects/{subject}/versions", this::register);
        routes.get("/subjects/{subject}/versions", ctx -> respond(ctx, liveVersions(ctx.pathParam("subject"))));
        routes.get("/subjects/{subject}/versions/{version}", ctx -> respond(ctx, subjectVersion(ctx)));
        routes.get("/subjects/{subject}/versions/{version}/schema",
                ctx -> ctx.contentType(CONTENT_TYPE).result(subjectVersion(ctx).schema()));
        routes.post("/subjects/{subject}", this::lookup);
        routes.get("/schemas/ids/{id}", this::schemaById);
        routes.get("/schemas/types", ctx -> respond(ctx, List.of(AVRO)));
        routes.post("/compatibility/subjects/{subject}/versions/{version}", this::checkAgainstVersion);
        routes.post("/compatibility/subjects/{subject}/versions", this::checkAgainstSubject);
        routes.get("/config", ctx -> respond(ctx, levelBody("compatibilityLevel",
                state.globalLevel().orElse(RegistryState.DEFAULT_LEVEL))));
        routes.put("/config", ctx -> setLevel(ctx, Optional.empty()));
        routes.get("/config/{subject}", this::subjectConfig);
        routes.put("/config/{subject}", ctx -> setLevel(ctx, Optional.of(ctx.pathParam("subject"))));

        routes.exception(ApiError.class, (e, ctx) -> respondError(ctx, e));
        // Javalin's own refusals (no such route, wrong method) answered in Confluent's error shape.
        routes.exception(HttpResponseException.class, (e, ctx) ->
                respondError(ctx, ApiError.http(e.getStatus(), HttpStatus.forStatus(e.getStatus()).getMessage())));
        routes.exception(SchemaLogException.class, (e, ctx) -> {
            log.error("{} {} failed: {}", ctx.method(), ctx.path(), e.getMessage(), e);
            respondError(ctx, ApiError.backend(e.getMessage()));
        });
        routes.exception(Exception.class, (e, ctx) -> {
            // A bug: the client gets the message only, never a stack trace; the log gets the trace.
            log.error("{} {} failed", ctx.method(), ctx.path(), e);
            respondError(ctx, ApiError.backend(String.valueOf(e.getMessage())));
        });
    }

    private void register(Context ctx) {
        String subject = ctx.pathParam("subject");
        AvroSchemaText schema = schemaFrom(body(ctx));
        SchemaRegistrar.Registration outcome = registrar.register(subject, schema);
        if (outcome instanceof SchemaRegistrar.Registration.Incompatible incompatible) {
            throw ApiError.incompatible(subject, incompatible.messages());
        }
        ObjectNode response = json.createObjectNode();
        response.put("id", ((SchemaRegistrar.Registration.Registered) outcome).id());
        respond(ctx, response);
    }

    private void lookup(Context ctx) {
        String subject = ctx.pathParam("subject");
        JsonNode body = body(ctx);
        registrar.catchUp();
        if (state.versions(subject).isEmpty()) {
            throw ApiError.subjectNotFound(subject);
        }
        SubjectVersion found = state.lookup(subject, schemaFrom(body)).orElseThrow(ApiError::schemaNotFound);
        respond(ctx, found);
    }

    private void schemaById(Context ctx) {
        int id;
        try {
            id = Integer.parseInt(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            // Jersey answers an unparseable path parameter with 404, and so does Confluent.
            throw ApiError.schemaNotFound();
        }
        ObjectNode response = json.createObjectNode();
        response.put("schema", state.schemaById(id).orElseThrow(ApiError::schemaNotFound));
        respond(ctx, response);
    }

    private void checkAgainstVersion(Context ctx) {
        String subject = ctx.pathParam("subject");
        AvroSchemaText candidate = schemaFrom(body(ctx));
        registrar.catchUp();
        Optional<Integer> version = versionIn(ctx.pathParam("version"));
        List<Schema> against;
        if (version.isEmpty()) {
            // Since Confluent 5.5 (schema-registry#1533), a subject with nothing registered yet accepts
            // any schema instead of answering 40401.
            against = state.liveSchemas(subject).isEmpty()
                    ? List.of() : List.of(lastOf(state.liveSchemas(subject)));
        } else {
            SubjectVersion chosen = state.version(subject, version.get()).orElseThrow(() ->
                    state.versions(subject).isEmpty()
                            ? ApiError.subjectNotFound(subject) : ApiError.versionNotFound(version.get()));
            against = List.of(AvroSchemaText.parse(chosen.schema()).schema().orElseThrow().schema());
        }
        respondCompatibility(ctx, AvroCompatibility.incompatibilities(
                state.effectiveLevel(subject), candidate.schema(), against));
    }

    private void checkAgainstSubject(Context ctx) {
        String subject = ctx.pathParam("subject");
        AvroSchemaText candidate = schemaFrom(body(ctx));
        registrar.catchUp();
        respondCompatibility(ctx, AvroCompatibility.incompatibilities(
                state.effectiveLevel(subject), candidate.schema(), state.liveSchemas(subject)));
    }

    private void respondCompatibility(Context ctx, List<String> problems) {
        ObjectNode response = json.createObjectNode();
        response.put("is_compatible", problems.isEmpty());
        if ("true".equalsIgnoreCase(ctx.queryParam("verbose"))) {
            response.set("messages", json.valueToTree(problems));
        }
        respond(ctx, response);
    }

    private void subjectConfig(Context ctx) {
        String subject = ctx.pathParam("subject");
        Optional<CompatibilityLevel> level = state.subjectLevel(subject);
        if (level.isEmpty() && "true".equalsIgnoreCase(ctx.queryParam("defaultToGlobal"))) {
            level = Optional.of(state.globalLevel().orElse(RegistryState.DEFAULT_LEVEL));
        }
        respond(ctx, levelBody("compatibilityLevel",
                level.orElseThrow(() -> ApiError.subjectLevelNotConfigured(subject))));
    }

    private void setLevel(Context ctx, Optional<String> subject) {
        JsonNode requested = body(ctx).get("compatibility");
        String name = requested == null || requested.isNull() ? "" : requested.asText();
        CompatibilityLevel level = CompatibilityLevel.parse(name)
                .orElseThrow(() -> ApiError.invalidCompatibilityLevel(name));
        registrar.setLevel(subject, level);
        respond(ctx, levelBody("compatibility", level));
    }

    private List<Integer> liveVersions(String subject) {
        List<Integer> versions = state.versions(subject);
        if (versions.isEmpty()) {
            throw ApiError.subjectNotFound(subject);
        }
        return versions;
    }

    private SubjectVersion subjectVersion(Context ctx) {
        String subject = ctx.pathParam("subject");
        Optional<Integer> version = versionIn(ctx.pathParam("version"));
        if (state.versions(subject).isEmpty()) {
            throw ApiError.subjectNotFound(subject);
        }
        if (version.isEmpty()) {
            return state.latest(subject).orElseThrow(() -> ApiError.subjectNotFound(subject));
        }
        return state.version(subject, version.get()).orElseThrow(() -> ApiError.versionNotFound(version.get()));
    }

    /** A specific version, or empty for the latest ({@code latest} or {@code -1}, as Confluent accepts). */
    private static Optional<Integer> versionIn(String text) {
        if (LATEST.equalsIgnoreCase(text)) {
            return Optional.empty();
        }
        try {
            int version = Integer.parseInt(text);
            if (version == -1) {
                return Optional.empty();
            }
            if (version >= 1) {
                return Optional.of(version);
            }
        } catch (NumberFormatException e) {
            // falls through to the Confluent error below
        }
        throw ApiError.invalidVersion(text);
    }

    /** The schema of a register, lookup or compatibility body, parsed once here at the edge. */
    private static AvroSchemaText schemaFrom(JsonNode body) {
        JsonNode type = body.get("schemaType");
        if (type != null && !type.isNull() && !AVRO.equals(type.asText().toUpperCase(Locale.ROOT))) {
            throw ApiError.invalidSchema("schemaType '" + type.asText()
                    + "' is not supported; this registry serves AVRO schemas only");
        }
        JsonNode references = body.get("references");
        if (references != null && references.isArray() && !references.isEmpty()) {
            throw ApiError.invalidSchema("schema references are not supported by this registry");
        }
        JsonNode text = body.get("schema");
        if (text == null || !text.isTextual()) {
            throw ApiError.invalidSchema("the request has no \"schema\" string");
        }
        AvroSchemaText.Parsed parsed = AvroSchemaText.parse(text.asText());
        return parsed.schema().orElseThrow(() -> ApiError.invalidSchema(parsed.error()));
    }

    private JsonNode body(Context ctx) {
        String contentType = ctx.contentType();
        if (contentType != null) {
            String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            if (!mediaType.isEmpty() && !BODY_TYPES.contains(mediaType)) {
                throw ApiError.unsupportedMediaType(mediaType);
            }
        }
        try {
            JsonNode body = json.readTree(ctx.body());
            if (body == null || !body.isObject()) {
                throw ApiError.malformedBody("expected a JSON object");
            }
            return body;
        } catch (JsonProcessingException e) {
            throw ApiError.malformedBody(e.getOriginalMessage());
        }
    }

    private ObjectNode levelBody(String field, CompatibilityLevel level) {
        ObjectNode body = json.createObjectNode();
        body.put(field, level.name());
        return body;
    }

    private void respond(Context ctx, Object body) {
        try {
            ctx.status(200).contentType(CONTENT_TYPE).result(json.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a response failed to serialise", e);
        }
    }

    private void respondError(Context ctx, ApiError error) {
        ObjectNode body = json.createObjectNode();
        body.put("error_code", error.errorCode());
        body.put("message", error.getMessage());
        ctx.status(error.status()).contentType(CONTENT_TYPE).result(body.toString());
    }

    private static Schema lastOf(List<Schema> schemas) {
        return schemas.get(schemas.size() - 1);
    }
}
