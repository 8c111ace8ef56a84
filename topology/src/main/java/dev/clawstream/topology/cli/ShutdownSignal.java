package dev.clawstream.topology.cli;

import sun.misc.Signal;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns Ctrl-C (SIGINT) and SIGTERM into an orderly stop. The JVM's default handling runs shutdown
 * hooks but then exits with 130/143, and hooks race each other; instead the main thread waits here,
 * closes the stages, the registry and the broker in order, and exits 0. A second signal means the
 * user has given up waiting: exit at once.
 */
final class ShutdownSignal {

    private final CountDownLatch requested = new CountDownLatch(1);
    private final AtomicInteger signals = new AtomicInteger();

    private ShutdownSignal() {
    }

    static ShutdownSignal install(PrintStream err) {
        ShutdownSignal signal = new ShutdownSignal();
        for (String name : new String[] {"INT", "TERM"}) {
            Signal.handle(new Signal(name), s -> {
                if (signal.signals.incrementAndGet() > 1) {
                    err.println("second SIG" + s.getName() + ": stopping immediately");
                    Runtime.getRuntime().halt(128 + s.getNumber());
                }
                err.println("SIG" + s.getName() + " received: shutting down cleanly (send it again to force)");
                signal.requested.countDown();
            });
        }
        return signal;
    }

    void await() throws InterruptedException {
        requested.await();
    }
}
