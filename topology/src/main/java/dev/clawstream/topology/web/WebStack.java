package dev.clawstream.topology.web;

import dev.clawstream.enforcer.crypto.TrustedKeys;
import dev.clawstream.schemas.registry.SchemaRegistryClient;
import dev.clawstream.topology.kafka.KafkaConnection;
import dev.clawstream.topology.pipeline.StageRunner;
import dev.clawstream.topology.pipeline.StreamsApp;
import dev.clawstream.topology.view.ViewerQueries;
import dev.clawstream.topology.view.ViewerTopics;
import dev.clawstream.topology.view.ViewerTopology;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * The viewer application ({@code <prefix>viewer}, its stores answering interactive queries) and the
 * web server in front of it: what {@code up} and {@code demo} add for Trust Pulse and the live view.
 */
public final class WebStack implements AutoCloseable {

    /** How far back {@code egress stats --last} and the charts can look. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

    private final StageRunner viewer;
    private final AlertBroadcaster alerts;
    private final WebServer server;
    private final ViewerQueries queries;

    private WebStack(StageRunner viewer, AlertBroadcaster alerts, WebServer server, ViewerQueries queries) {
        this.viewer = viewer;
        this.alerts = alerts;
        this.server = server;
        this.queries = queries;
    }

    public static WebStack start(KafkaConnection connection, SchemaRegistryClient registry, Path stateDir,
                                 TrustedKeys publishers, WebSettings settings, Duration retention) {
        AlertBroadcaster alerts = new AlertBroadcaster();
        ViewerTopics topics = ViewerTopics.withPrefix(connection.topicPrefix());
        StreamsApp app = new StreamsApp("viewer",
                builder -> ViewerTopology.buildInto(builder, topics, registry, publishers, retention, alerts));
        StageRunner viewer = StageRunner.startApps(List.of(app), connection, stateDir, registry, new Properties());
        try {
            ViewerQueries queries = new ViewerQueries(viewer.streams().get(0));
            WebServer server = WebServer.start(settings, new WebApi(queries, alerts, settings, Clock.systemUTC()));
            return new WebStack(viewer, alerts, server, queries);
        } catch (RuntimeException e) {
            viewer.close();
            alerts.close();
            throw e;
        }
    }

    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        return viewer.awaitRunning(timeout);
    }

    public String url() {
        return server.url();
    }

    public ViewerQueries queries() {
        return queries;
    }

    /** Ends the live-view streams while the server still runs (their requests finish normally), then the rest. */
    @Override
    public void close() {
        try {
            alerts.close();
        } finally {
            try {
                server.close();
            } finally {
                viewer.close();
            }
        }
    }
}
