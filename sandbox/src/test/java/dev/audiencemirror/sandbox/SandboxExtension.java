package dev.audiencemirror.sandbox;

import dev.audiencemirror.sandbox.fault.FaultConfig;
import java.nio.file.Path;
import java.util.Collection;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a {@link SandboxServer} for a test class:
 * <pre>{@code
 * @RegisterExtension
 * static SandboxExtension sandbox = SandboxExtension.builder().lists(678, 679).imports("imp-1").build();
 *
 * @Test void adds() {
 *     connectorUnderTest(sandbox.baseUrl(), sandbox.adestraKey()).run();
 *     assertThat(sandbox.client().listContacts(678)).containsExactly(1L, 2L);
 * }
 * }</pre>
 * On a static field the server starts once for the class (on a free loopback port) and is reset before
 * each test; on an instance field a fresh server runs for each test. Reset restores the configured
 * lists and imports (empty), clears stats and the log, and restores the builder's faults.
 */
public final class SandboxExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback {

    private final SandboxServer.Builder serverBuilder;
    private final boolean resetBeforeEach;
    private SandboxServer server;
    private String ownerContextId;
    private boolean perTest;
    private boolean fresh;

    private SandboxExtension(SandboxServer.Builder serverBuilder, boolean resetBeforeEach) {
        this.serverBuilder = serverBuilder;
        this.resetBeforeEach = resetBeforeEach;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        // Nested test classes call beforeAll again; only the outermost starts (and later stops) the server.
        if (server == null) {
            server = serverBuilder.build().start();
            ownerContextId = context.getUniqueId();
            fresh = true;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null && context.getUniqueId().equals(ownerContextId)) {
            close();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (server == null) {
            server = serverBuilder.build().start();
            perTest = true;
        } else if (resetBeforeEach && !fresh) {
            server.reset();
        }
        // The first test sees the state as started, including anything loaded from a state file.
        fresh = false;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (perTest) {
            close();
        }
    }

    private void close() {
        try {
            server.close();
        } finally {
            server = null;
            ownerContextId = null;
            perTest = false;
        }
    }

    /** The running server, for anything not wrapped here. */
    public SandboxServer server() {
        if (server == null) {
            throw new IllegalStateException("the sandbox runs only while a test of its class runs");
        }
        return server;
    }

    /** One base URL for both APIs: {@code /contacts/…} (Adestra), {@code /imports/…} (Taxonomy), {@code /_sandbox/…}. */
    public String baseUrl() {
        return server().baseUrl();
    }

    public String adestraKey() {
        return server().adestraKey();
    }

    public String permutiveKey() {
        return server().permutiveKey();
    }

    public String permutiveReadOnlyKey() {
        return server().permutiveReadOnlyKey();
    }

    public SandboxClient client() {
        return server().client();
    }

    public void reset() {
        server().reset();
    }

    public void setFaults(FaultConfig faults) {
        server().setFaults(faults);
    }

    /** Whether this test run is for the Taxonomy API's per-row reading ({@link Builder#taxonomyReadingOfThisRun}). */
    public static boolean rowErrorsRun() {
        return Boolean.getBoolean("sandbox.taxonomy-row-errors");
    }

    /** Configures the server the extension runs; same settings and defaults as {@link SandboxServer.Builder}. */
    public static final class Builder {
        private final SandboxServer.Builder server = SandboxServer.builder();
        private boolean resetBeforeEach = true;

        private Builder() {}

        public Builder lists(long... listIds) { server.lists(listIds); return this; }
        public Builder lists(Collection<Long> listIds) { server.lists(listIds); return this; }
        public Builder imports(String... importIds) { server.imports(importIds); return this; }
        public Builder imports(Collection<String> importIds) { server.imports(importIds); return this; }
        public Builder adestraKey(String key) { server.adestraKey(key); return this; }
        public Builder adestraAuthScheme(String scheme) { server.adestraAuthScheme(scheme); return this; }
        public Builder permutiveKey(String key) { server.permutiveKey(key); return this; }
        public Builder permutiveReadOnlyKey(String key) { server.permutiveReadOnlyKey(key); return this; }
        public Builder faults(FaultConfig faults) { server.faults(faults); return this; }
        public Builder seed(long seed) { server.seed(seed); return this; }
        public Builder stateFile(Path stateFile) { server.stateFile(stateFile); return this; }
        public Builder port(int port) { server.port(port); return this; }
        public Builder workerThreads(int n) { server.workerThreads(n); return this; }
        public Builder logCapacity(int n) { server.logCapacity(n); return this; }
        public Builder adestraConcurrencyLimit(int n) { server.adestraConcurrencyLimit(n); return this; }
        /** Per-row errors inside a 200 instead of the published contract's answers; default false. */
        public Builder taxonomyRowErrors(boolean rowErrors) { server.taxonomyRowErrors(rowErrors); return this; }
        /** Segments per {@code GET …/segments} page under the published contract; default 50. */
        public Builder taxonomyPageSize(int n) { server.taxonomyPageSize(n); return this; }
        public Builder adestraDeleteAbsent404(boolean on) { server.adestraDeleteAbsent404(on); return this; }
        /**
         * The Taxonomy reading this test run is for: the per-row one with
         * {@code -Dsandbox.taxonomy-row-errors=true} (a build's second surefire execution sets it),
         * else the published contract. For tests that must hold under both.
         */
        public Builder taxonomyReadingOfThisRun() { server.taxonomyRowErrors(rowErrorsRun()); return this; }
        /** Reset before each test of a class-wide server; default true. */
        public Builder resetBeforeEach(boolean reset) { this.resetBeforeEach = reset; return this; }

        /** Validates the settings now, so a bad one fails at class load rather than in beforeAll. */
        public SandboxExtension build() {
            server.build();
            return new SandboxExtension(server, resetBeforeEach);
        }
    }
}
