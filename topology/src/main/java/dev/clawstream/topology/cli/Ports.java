package dev.clawstream.topology.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Fails early, with a message a person can act on, when a port the stack needs is taken. */
final class Ports {

    private Ports() {
    }

    static void requireFree(int port, String what, String option) {
        if (port == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket(port, 0, InetAddress.getLoopbackAddress())) {
            probe.setReuseAddress(true);
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " for the " + what
                    + " is already in use (another Kafka or clawstream up?); choose another with " + option);
        }
    }
}
