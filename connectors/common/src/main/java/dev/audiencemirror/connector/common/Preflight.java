package dev.audiencemirror.connector.common;

import java.io.IOException;
import org.apache.flink.annotation.Internal;
import org.apache.flink.runtime.execution.SuppressRestartsException;

/**
 * Runs a connector's start-up check in its writer and turns the outcome into the job's: a wrong
 * setup (bad key, missing list or import) fails the job without restarts, since every restart
 * would fail the same way (except, for a sink that waits outages out, a refused key file, which
 * may be rotated meanwhile); anything else (the API unreachable) fails it normally, so Flink's
 * restart strategy may try again.
 */
@Internal
public final class Preflight {
    private Preflight() {}

    /** A setup the job cannot run with; its message says what to fix and never holds the key. */
    public static final class SetupException extends IOException {
        private static final long serialVersionUID = 1L;

        public SetupException(String message) {
            super(message);
        }
    }

    /**
     * The API refused a key that can change in place (a key file): the Secret may be being
     * rotated, so the job fails normally and Flink's restarts read the file again.
     */
    public static final class KeyRefusedException extends IOException {
        private static final long serialVersionUID = 1L;

        public KeyRefusedException(String message) {
            super(message);
        }
    }

    /**
     * A refused key: a setup error (no restarts) unless the key is a file, which can be fixed or
     * rotated in place, and the sink waits outages out ({@link RetryPolicy#untilSuccess()}, the
     * streaming job): its restarts read the file again. A bounded run (the nightly) stops at once,
     * so the operator sees the cause rather than restarts until the run's deadline.
     */
    public static IOException keyRefused(SecretRef ref, RetryPolicy retries, String message) {
        return ref.canChange() && retries.untilSuccess()
                ? new KeyRefusedException(message + "; the key file is read again when the job restarts")
                : new SetupException(message);
    }

    /** The API did not answer the start-up check (refused, timed out, no route): Flink may restart and try again. */
    public static final class UnreachableException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        UnreachableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A start-up check: throws {@link SetupException} for a wrong setup. */
    @FunctionalInterface
    public interface Check {
        void run() throws IOException, InterruptedException;
    }

    /** @param destination for the messages, e.g. {@code Adestra} */
    public static void atStart(String destination, Check check) {
        try {
            check.run();
        } catch (SetupException e) {
            throw new SuppressRestartsException(e);
        } catch (KeyRefusedException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } catch (IOException e) {
            // The JDK's HttpClient often says only "ConnectException" (no message): name what was not reached.
            throw new UnreachableException(destination + " could not be reached for its start-up check ("
                    + ResponseClass.describeFailure(e) + "); check its base-url and the network", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during the " + destination + " preflight", e);
        }
    }
}
