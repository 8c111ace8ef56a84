package dev.clawstream.topology.registry;

import io.javalin.Javalin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A schema registry endpoint speaking the Confluent Schema Registry REST protocol (the subset Clawstream
 * and Confluent's serialisers use), with its state in the compacted {@code _schemas} topic in
 * Confluent's own record format. Several instances may share one broker; they agree because they all
 * apply the same log (see {@link RegistryState}).
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {

    /** How long start waits to replay the existing log before giving up. */
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    /** How long one request may wait on the log (catch-up, write, apply) before answering 500. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);

    private final SchemaLog schemaLog;
    private final Javalin http;
    private final String host;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedSchemaRegistry(SchemaLog schemaLog, Javalin http, String host) {
        this.schemaLog = schemaLog;
        this.http = http;
        this.host = host;
    }

    /**
     * Replays {@code _schemas} (creating it if missing) and then serves HTTP on {@code bindHost} only.
     *
     * @param port 0 picks a free port; {@link #port()} tells which
     */
    public static EmbeddedSchemaRegistry start(String bootstrapServers, String bindHost, int port) {
        RegistryState state = new RegistryState();
        SchemaLog schemaLog = SchemaLog.open(bootstrapServers, state, STARTUP_TIMEOUT);
        try {
            RegistryRoutes routes = new RegistryRoutes(state, new SchemaRegistrar(state, schemaLog, REQUEST_TIMEOUT));
            Javalin http = Javalin.create(config -> {
                config.startup.showJavalinBanner = false;
                config.startup.showOldJavalinVersionWarning = false;
                config.jetty.host = bindHost;
                config.jetty.port = port;
                routes.declare(config.routes);
            });
            http.start();
            EmbeddedSchemaRegistry registry = new EmbeddedSchemaRegistry(schemaLog, http, bindHost);
            log.info("schema registry serving {} from topic {}", registry.url(), SchemaLog.TOPIC);
            return registry;
        } catch (RuntimeException e) {
            schemaLog.close();
            throw e;
        }
    }

    /** The base URL clients use, e.g. {@code http://localhost:8081}. */
    public String url() {
        String urlHost = host.contains(":") ? "[" + host + "]" : host;
        return "http://" + urlHost + ":" + port();
    }

    public int port() {
        return http.port();
    }

    /** Stops serving HTTP, then the log reader and the Kafka clients; safe to call more than once. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            http.stop();
        } finally {
            schemaLog.close();
        }
    }
}
