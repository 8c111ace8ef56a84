package dev.clawstream.topology.view;

/** The viewer's stores cannot answer right now (starting, restoring, rebalancing): try again shortly. */
public final class ViewerUnavailableException extends RuntimeException {
    public ViewerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
