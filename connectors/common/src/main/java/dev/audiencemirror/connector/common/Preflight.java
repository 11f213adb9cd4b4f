package dev.audiencemirror.connector.common;

import java.io.IOException;
import org.apache.flink.runtime.execution.SuppressRestartsException;

/**
 * Runs a connector's start-up check in its writer and turns the outcome into the job's: a wrong
 * setup (bad key, missing list or import) fails the job without restarts, since every restart
 * would fail the same way; anything else (the API unreachable) fails it normally, so Flink's
 * restart strategy may try again.
 */
public final class Preflight {
    private Preflight() {}

    /** A setup the job cannot run with; its message says what to fix and never holds the key. */
    public static final class SetupException extends IOException {
        private static final long serialVersionUID = 1L;

        public SetupException(String message) {
            super(message);
        }
    }

    /** A start-up check: throws {@link SetupException} for a wrong setup. */
    @FunctionalInterface
    public interface Check {
        void run() throws IOException, InterruptedException;
    }

    /** @param destination for the message when interrupted, e.g. {@code Adestra} */
    public static void atStart(String destination, Check check) {
        try {
            check.run();
        } catch (SetupException e) {
            throw new SuppressRestartsException(e);
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during the " + destination + " preflight", e);
        }
    }
}
