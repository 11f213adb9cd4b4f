package dev.audiencemirror.sandbox.http;

/**
 * Thrown out of the handler to make the JDK server close the TCP connection with no answer at all.
 * The server's exchange loop catches any handler exception and closes the connection through its
 * own bookkeeping; {@code HttpExchange.close()} before sending headers would close the socket too
 * but leave the connection in the server's internal sets, a leak under a steady drop rate.
 */
public final class ConnectionDrop extends RuntimeException {

    public ConnectionDrop() {
        super("connection dropped by fault injection", null, false, false);
    }
}
