package dev.clawstream.topology.web;

import dev.clawstream.schemas.Alert;
import dev.clawstream.schemas.json.AvroJson;
import io.javalin.http.sse.SseClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Pushes alerts to the live view's server-sent-event clients. The viewer's stream thread only enqueues:
 * a slow browser must never slow the pipeline, so when the queue is full the alert is dropped from the
 * push (it is still in the recent-alerts store that a page reload shows) and counted.
 */
public final class AlertBroadcaster implements Consumer<Alert>, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AlertBroadcaster.class);
    private static final int QUEUE = 10_000;

    private final BlockingQueue<Alert> queue = new ArrayBlockingQueue<>(QUEUE);
    private final List<SseClient> clients = new CopyOnWriteArrayList<>();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread sender;
    private volatile boolean closed;

    public AlertBroadcaster() {
        sender = new Thread(this::send, "clawstream-alert-push");
        sender.setDaemon(true);
        sender.start();
    }

    @Override
    public void accept(Alert alert) {
        if (!queue.offer(alert)) {
            dropped.incrementAndGet();
        }
    }

    void subscribe(SseClient client) {
        clients.add(client);
        client.onClose(() -> clients.remove(client));
    }

    /** Alerts not pushed because browsers could not keep up. */
    public long dropped() {
        return dropped.get();
    }

    private void send() {
        while (!closed) {
            Alert alert;
            try {
                alert = queue.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (alert == null) {
                continue;
            }
            String json = AvroJson.toJsonLine(alert);
            for (SseClient client : clients) {
                try {
                    if (client.terminated()) {
                        clients.remove(client);
                    } else {
                        client.sendEvent("alert", json, alert.getAlertId());
                    }
                } catch (RuntimeException e) {
                    LOG.debug("dropping live-view client: {}", e.getMessage());
                    clients.remove(client);
                }
            }
        }
    }

    /** Stops pushing; browsers' connections end with the web server, which is stopped first. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        sender.interrupt();
        List<SseClient> open = List.copyOf(clients);
        clients.clear();
        for (SseClient client : open) {
            try {
                if (!client.terminated()) {
                    client.close();
                }
            } catch (RuntimeException e) {
                LOG.debug("closing a live-view client: {}", e.toString());
            }
        }
    }
}
