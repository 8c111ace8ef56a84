package dev.clawstream.topology.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawstream.enforcer.wpc.WpcDiff;
import dev.clawstream.enforcer.wpc.WpcParseResult;
import dev.clawstream.enforcer.wpc.WpcParser;
import dev.clawstream.schemas.Alert;
import dev.clawstream.schemas.ProofBundle;
import dev.clawstream.schemas.WpcRecord;
import dev.clawstream.schemas.json.AvroJson;
import dev.clawstream.topology.cli.HumanDuration;
import dev.clawstream.topology.view.JobSummary;
import dev.clawstream.topology.view.TrafficCounts;
import dev.clawstream.topology.view.ViewerQueries;
import dev.clawstream.topology.view.ViewerUnavailableException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import static dev.clawstream.schemas.serde.JsonSerdes.MAPPER;

/**
 * The JSON API behind Trust Pulse, the live view and {@code egress stats|blocked}. Read-only: every
 * answer comes from the viewer's stores by interactive query. Only redacted bundles exist here (the
 * viewer indexes trust.pulse alone). Any request other than a read needs the configured bearer token;
 * with none configured the server refuses them all.
 */
public final class WebApi {

    private static final Logger LOG = LoggerFactory.getLogger(WebApi.class);
    private static final Set<HandlerType> READS = Set.of(HandlerType.GET, HandlerType.HEAD, HandlerType.OPTIONS);
    private static final Pattern HASH = Pattern.compile("sha256:[0-9a-f]{64}");
    /** Longest window a query may span: the viewer keeps no more than its retention anyway. */
    private static final Duration MAX_RANGE = Duration.ofDays(31);

    private final ViewerQueries queries;
    private final AlertBroadcaster alerts;
    private final WebSettings settings;
    private final Clock clock;

    public WebApi(ViewerQueries queries, AlertBroadcaster alerts, WebSettings settings, Clock clock) {
        this.queries = queries;
        this.alerts = alerts;
        this.settings = settings;
        this.clock = clock;
    }

    void declare(RoutesConfig routes) {
        routes.before(this::guard);
        routes.get("/api/health", ctx -> json(ctx, Map.of("status", "ok")));
        routes.get("/api/jobs", ctx -> {
            // The most recently active first; the total in a header so a page can say what it left out.
            List<JobSummary> jobs = queries.jobs();
            ctx.header("X-Total-Count", Integer.toString(jobs.size()));
            json(ctx, jobs.subList(0, Math.min(jobs.size(), intParam(ctx, "limit", 500, 1, 5000))));
        });
        routes.get("/api/jobs/{job}", ctx -> json(ctx, queries.job(ctx.pathParam("job"))
                .orElseThrow(() -> new NotFound("no sealed bundle for job " + ctx.pathParam("job")))));
        routes.get("/api/jobs/{job}/bundles/{segment}", this::bundle);
        routes.get("/api/keys/bundler", this::bundlerKey);
        routes.get("/api/wpcs", ctx -> json(ctx, wpcList()));
        routes.get("/api/wpcs/diff", this::wpcDiff);
        routes.get("/api/wpcs/{hash}", ctx -> json(ctx, wpcJson(wpc(ctx.pathParam("hash")), true)));
        routes.get("/api/live/traffic", this::traffic);
        routes.get("/api/live/deadletters", ctx -> json(ctx, deadLetters()));
        routes.get("/api/alerts", this::recentAlerts);
        routes.sse("/api/alerts/stream", client -> {
            client.keepAlive();
            alerts.subscribe(client);
        });
        routes.get("/api/egress/stats", ctx -> {
            Range range = range(ctx, "24h");
            json(ctx, queries.stats(range.from, range.to, agent(ctx), intParam(ctx, "top", 10, 1, 1000)));
        });
        routes.get("/api/egress/blocked", ctx -> {
            Range range = range(ctx, "24h");
            json(ctx, Map.of("from", range.from.toString(), "to", range.to.toString(),
                    "blocked", queries.blocked(range.from, range.to, agent(ctx))));
        });

        routes.exception(NotFound.class, (e, ctx) -> error(ctx, HttpStatus.NOT_FOUND, e.getMessage()));
        routes.exception(BadRequest.class, (e, ctx) -> error(ctx, HttpStatus.BAD_REQUEST, e.getMessage()));
        routes.exception(Unauthorized.class, (e, ctx) -> {
            ctx.header("WWW-Authenticate", "Bearer");
            error(ctx, HttpStatus.UNAUTHORIZED, e.getMessage());
        });
        routes.exception(Forbidden.class, (e, ctx) -> error(ctx, HttpStatus.FORBIDDEN, e.getMessage()));
        routes.exception(ViewerUnavailableException.class, (e, ctx) -> {
            ctx.header("Retry-After", "2");
            error(ctx, HttpStatus.SERVICE_UNAVAILABLE, "the viewer is starting or rebalancing; try again shortly");
        });
        routes.exception(Exception.class, (e, ctx) -> {
            String request;
            try {
                request = ctx.method() + " " + ctx.path();
            } catch (RuntimeException gone) {
                // The request is already over (a stream ended at shutdown): nothing to answer, nothing to log.
                return;
            }
            LOG.error("{} failed", request, e);
            error(ctx, HttpStatus.INTERNAL_SERVER_ERROR, "internal error (see the server's log)");
        });
    }

    /** Reads are open (the data is redacted); anything else needs the bearer token, compared in constant time. */
    private void guard(Context ctx) {
        // Not to be framed by another site, nor sniffed into another type (the pages send the same).
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        if (READS.contains(ctx.method())) {
            return;
        }
        if (settings.bearerToken().isEmpty()) {
            throw new Forbidden("this server is read-only: start it with a web token to allow " + ctx.method());
        }
        String header = ctx.header("Authorization");
        String expected = "Bearer " + settings.bearerToken().get();
        if (header == null || !MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8))) {
            throw new Unauthorized("a valid bearer token is required for " + ctx.method());
        }
    }

    private void bundle(Context ctx) {
        String job = ctx.pathParam("job");
        int segment = intPath(ctx.pathParam("segment"));
        ProofBundle bundle = queries.bundle(job, segment)
                .orElseThrow(() -> new NotFound("no sealed segment " + segment + " of job " + job));
        if ("1".equals(ctx.queryParam("download"))) {
            String file = (job + "-segment-" + segment + ".redacted.json").replaceAll("[^A-Za-z0-9._-]", "_");
            ctx.header("Content-Disposition", "attachment; filename=\"" + file + "\"");
        }
        // The document exactly as sealed: the browser verifies these bytes, not a re-serialisation.
        ctx.contentType("application/json").result(bundle.getBundle());
    }

    private void bundlerKey(Context ctx) {
        String pem = settings.bundlerPublicKeyPem()
                .orElseThrow(() -> new NotFound("this server was not given the bundler's public key"));
        ctx.contentType("application/x-pem-file").result(pem);
    }

    private List<ObjectNode> wpcList() {
        return queries.wpcs().stream().map(w -> wpcJson(w, false)).toList();
    }

    private WpcRecord wpc(String hash) {
        if (!HASH.matcher(hash).matches()) {
            throw new BadRequest("not a WPC hash (sha256:<64 hex>): " + hash);
        }
        return queries.wpc(hash).orElseThrow(() -> new NotFound("no trusted WPC with hash " + hash));
    }

    private ObjectNode wpcJson(WpcRecord wpc, boolean withDocument) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("hash", wpc.getWpcHash());
        node.put("name", wpc.getName());
        node.put("version", wpc.getVersion());
        node.put("publisher_key_id", wpc.getPublisherKeyId());
        if (withDocument) {
            node.put("document", wpc.getDocument());
        }
        return node;
    }

    private void wpcDiff(Context ctx) {
        WpcRecord from = wpc(required(ctx, "from"));
        WpcRecord to = wpc(required(ctx, "to"));
        ObjectNode body = MAPPER.createObjectNode();
        body.set("from", wpcJson(from, false));
        body.set("to", wpcJson(to, false));
        ArrayNode changes = body.putArray("changes");
        for (WpcDiff.Change change : WpcDiff.between(parse(from), parse(to))) {
            changes.addObject().put("direction", change.direction().name()).put("description", change.description());
        }
        json(ctx, body);
    }

    private static dev.clawstream.enforcer.wpc.Wpc parse(WpcRecord record) {
        WpcParseResult parsed = WpcParser.parse(record.getDocument(), record.getWpcHash());
        if (parsed instanceof WpcParseResult.Valid valid) {
            return valid.wpc();
        }
        // The viewer only indexes records that passed the enforcer's own check, so this is a bug.
        throw new IllegalStateException("indexed WPC " + record.getWpcHash() + " does not parse");
    }

    /** Blocked (and allowed) per agent per minute over the last {@code minutes}: the live view's chart. */
    private void traffic(Context ctx) {
        int minutes = intParam(ctx, "minutes", 60, 1, 24 * 60);
        Instant to = clock.instant().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
        Instant from = to.minus(Duration.ofMinutes(minutes));
        ObjectNode body = MAPPER.createObjectNode();
        body.put("from", from.toString());
        body.put("to", to.toString());
        ObjectNode agents = body.putObject("agents");
        for (Map.Entry<String, TreeMap<Instant, TrafficCounts>> e : queries.perAgentMinutes(from, to).entrySet()) {
            ArrayNode points = agents.putArray(e.getKey());
            e.getValue().forEach((minute, counts) -> points.addObject()
                    .put("minute", minute.toString())
                    .put("allowed", counts.allowed())
                    .put("denied", counts.denied())
                    .put("would_deny", counts.wouldDeny())
                    .put("bytes_out", counts.bytesOut()));
        }
        body.set("destinations", MAPPER.valueToTree(queries.stats(from, to, Optional.empty(), 10)));
        json(ctx, body);
    }

    private Map<String, Object> deadLetters() {
        Map<String, Long> byStage = queries.deadLetters();
        return Map.of("total", byStage.values().stream().mapToLong(Long::longValue).sum(), "by_stage", byStage);
    }

    private void recentAlerts(Context ctx) {
        int limit = intParam(ctx, "limit", 50, 1, 200);
        ArrayNode list = MAPPER.createArrayNode();
        for (Alert alert : queries.recentAlerts(limit)) {
            list.add(AvroJson.toJson(alert));
        }
        ObjectNode body = MAPPER.createObjectNode();
        body.set("alerts", list);
        body.put("push_dropped", alerts.dropped());
        json(ctx, body);
    }

    private record Range(Instant from, Instant to) {
    }

    private Range range(Context ctx, String defaultLast) {
        String last = Optional.ofNullable(ctx.queryParam("last")).orElse(defaultLast);
        Duration span;
        try {
            span = new HumanDuration().convert(last);
        } catch (RuntimeException e) {
            throw new BadRequest("last: " + e.getMessage());
        }
        if (span.isNegative() || span.isZero() || span.compareTo(MAX_RANGE) > 0) {
            throw new BadRequest("last must be between 1ms and " + MAX_RANGE.toDays() + "d, got " + last);
        }
        Instant to = clock.instant().plusMillis(1);
        return new Range(to.minus(span), to);
    }

    private static Optional<String> agent(Context ctx) {
        return Optional.ofNullable(ctx.queryParam("agent")).filter(a -> !a.isBlank());
    }

    private static String required(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            throw new BadRequest("query parameter '" + name + "' is required");
        }
        return value;
    }

    private static int intParam(Context ctx, String name, int fallback, int min, int max) {
        String value = ctx.queryParam(name);
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value);
            if (n < min || n > max) {
                throw new BadRequest(name + " must be between " + min + " and " + max + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new BadRequest(name + " is not a number: " + value);
        }
    }

    private static int intPath(String value) {
        try {
            int n = Integer.parseInt(value);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new BadRequest("segment must be a non-negative number, got " + value);
        }
    }

    private static void json(Context ctx, Object body) {
        try {
            ctx.contentType("application/json").result(MAPPER.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the response as JSON", e);
        }
    }

    private static void error(Context ctx, HttpStatus status, String message) {
        ctx.status(status);
        json(ctx, Map.of("error", message));
    }

    private static final class NotFound extends RuntimeException {
        NotFound(String message) {
            super(message);
        }
    }

    private static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }

    private static final class Unauthorized extends RuntimeException {
        Unauthorized(String message) {
            super(message);
        }
    }

    private static final class Forbidden extends RuntimeException {
        Forbidden(String message) {
            super(message);
        }
    }
}
