package dev.clawstream.topology.embedded;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) running in this JVM, from
 * the Kafka 4.3.1 artifacts. Its data lives under {@code dataDir}, so a restart on the same directory
 * keeps every topic and offset.
 *
 * <p>Used by {@code clawstream up} and by the integration tests, so both run the same code path.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private final KafkaRaftServer server;
    private final int port;

    private EmbeddedKafkaBroker(KafkaRaftServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * Formats {@code dataDir} if it is new, starts the broker and returns once its listeners are bound.
     *
     * @param port           client port on localhost; 0 picks a free one
     * @param controllerPort KRaft controller port on localhost; 0 picks a free one
     */
    public static EmbeddedKafkaBroker start(Path dataDir, int port, int controllerPort) throws IOException {
        Files.createDirectories(dataDir);
        int clientPort = port == 0 ? freePort() : port;
        int quorumPort = controllerPort == 0 ? freePort() : controllerPort;
        Properties props = brokerProperties(dataDir, clientPort, quorumPort);

        Path propsFile = dataDir.resolve("server.properties");
        try (Writer w = Files.newBufferedWriter(propsFile, StandardCharsets.UTF_8)) {
            props.store(w, "written by clawstream on every start; edits are overwritten");
        }
        // Format only a fresh directory: re-formatting with a new cluster id fails on restart
        // ("Invalid cluster.id"), and --ignore-formatted does not make it idempotent.
        if (!Files.exists(dataDir.resolve("data").resolve("meta.properties"))) {
            format(propsFile);
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        try {
            server.startup();
        } catch (RuntimeException e) {
            shutdownQuietly(server);
            throw e;
        }
        return new EmbeddedKafkaBroker(server, clientPort);
    }

    /** {@code localhost:<port>}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public int port() {
        return port;
    }

    /** Stops the broker and waits until its logs are flushed and closed. */
    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }

    private static Properties brokerProperties(Path dataDir, int port, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        p.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        p.put("log.dirs", dataDir.resolve("data").toString());
        // One node: every internal topic must live with a replication factor of 1.
        p.put("num.partitions", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // Topics are created on purpose (clawstream topics create), never by a typo in a producer.
        p.put("auto.create.topics.enable", "false");
        return p;
    }

    private static void format(Path propsFile) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // execute() returns the exit code; StorageTool.main would call System.exit.
        int rc = StorageTool.execute(
                new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", propsFile.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8));
        if (rc != 0) {
            throw new IllegalStateException("formatting the Kafka data directory failed: "
                    + out.toString(StandardCharsets.UTF_8));
        }
    }

    private static void shutdownQuietly(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException suppressed) {
            // The start already failed; its exception is the one worth reporting.
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
