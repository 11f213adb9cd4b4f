package dev.audiencemirror.sandbox;

import com.sun.net.httpserver.HttpServer;
import dev.audiencemirror.sandbox.fault.FaultConfig;
import dev.audiencemirror.sandbox.taxonomy.TaxonomyApi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A destination sandbox: one HTTP server on one port that answers like the Adestra list API
 * ({@code /contacts/…}) and the Permutive Taxonomy API ({@code /imports/…}), with fault injection and
 * inspection under {@code /_sandbox/}. Start it with {@link #builder()}, {@link Builder#build()},
 * {@link #start()}; point clients at {@link #baseUrl()}; {@link #close()} stops it.
 */
public final class SandboxServer implements AutoCloseable {

    public static final String DEFAULT_ADESTRA_KEY = "sandbox-adestra-key";
    public static final String DEFAULT_PERMUTIVE_KEY = "sandbox-permutive-key";
    public static final String DEFAULT_PERMUTIVE_READONLY_KEY = "sandbox-permutive-readonly-key";
    public static final String DEFAULT_ADESTRA_AUTH_SCHEME = "TOKEN";
    /**
     * Adestra allows at most 10 concurrent connections per account. Stated here as the API states
     * it, not read from the connector: the sandbox is what checks that the connector keeps to it
     * (and the connectors' tests depend on the sandbox, not the other way round).
     */
    public static final int DEFAULT_ADESTRA_CONCURRENCY_LIMIT = 10;
    public static final long DEFAULT_SEED = 1L;

    static {
        // The JDK server writes headers and body as two segments; without TCP_NODELAY, Nagle's
        // algorithm and the client's delayed ACK stall every answer by ~40 ms. The property is read
        // once, when the JDK server classes first load, so set it before any server is created.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** The builder's values, fixed at build time. */
    record Settings(String host, int port, String adestraKey, String adestraAuthScheme, String permutiveKey,
                    String permutiveReadOnlyKey, List<Long> lists, List<String> imports, FaultConfig faults,
                    long seed, Path stateFile, long stateFlushMs, int workerThreads, int logCapacity,
                    int adestraConcurrencyLimit, boolean taxonomyRowErrors, int taxonomyPageSize,
                    boolean adestraDeleteAbsent404) {}

    private final Settings settings;
    private SandboxCore core;
    private HttpServer http;
    private ThreadPoolExecutor workers;
    private ScheduledThreadPoolExecutor timer;
    private SandboxClient client;
    private boolean closed;

    private SandboxServer(Settings settings) {
        this.settings = settings;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Loads the state file (if any), binds the port and starts serving.
     *
     * @throws UncheckedIOException if the port cannot be bound or the state file cannot be read
     * @throws IllegalStateException if already started or closed
     */
    public synchronized SandboxServer start() {
        if (http != null || closed) {
            throw new IllegalStateException(closed ? "sandbox is closed" : "sandbox already started");
        }
        try {
            core = new SandboxCore(settings);
            workers = new ThreadPoolExecutor(settings.workerThreads(), settings.workerThreads(), 30, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), daemon("sandbox-http-"));
            workers.allowCoreThreadTimeOut(true);
            timer = new ScheduledThreadPoolExecutor(1, daemon("sandbox-timer-"));
            timer.setRemoveOnCancelPolicy(true);
            core.useExecutors(workers, timer);
            HttpServer server = HttpServer.create(
                    new InetSocketAddress(InetAddress.getByName(settings.host()), settings.port()), 1024);
            server.createContext("/", new RootHandler(core));
            server.setExecutor(workers);
            server.start();
            http = server;
            if (core.persister != null) {
                core.persister.start();
            }
            return this;
        } catch (IOException e) {
            shutdownExecutors();
            throw new UncheckedIOException("cannot start the sandbox on " + settings.host() + ":" + settings.port()
                    + ": " + e.getMessage(), e);
        }
    }

    /** E.g. {@code http://127.0.0.1:54321}; both APIs and {@code /_sandbox/} are under it. */
    public String baseUrl() {
        String host = settings.host();
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("localhost")) {
            host = "127.0.0.1";
        } else if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + port();
    }

    /** The bound port (the chosen one when built with port 0). */
    public synchronized int port() {
        if (http == null) {
            throw new IllegalStateException("sandbox not started");
        }
        return http.getAddress().getPort();
    }

    /** The valid Adestra key (the first, while several are): the configured one until {@link #acceptAdestraKeys}. */
    public synchronized String adestraKey() {
        return core == null || closed ? settings.adestraKey() : core.adestra.primaryKey();
    }

    public String adestraAuthScheme() {
        return settings.adestraAuthScheme();
    }

    /** Whether a {@code DELETE} of a contact that is not on the list answers 404 (else 204). */
    public boolean adestraDeleteAbsent404() {
        return settings.adestraDeleteAbsent404();
    }

    /** The valid Taxonomy write key (the first, while several are): the configured one until {@link #acceptPermutiveKeys}. */
    public synchronized String permutiveKey() {
        return core == null || closed ? settings.permutiveKey() : core.taxonomy.primaryKey();
    }

    /**
     * From now on only these Adestra keys are valid, as when an admin issues a new key
     * ({@code acceptAdestraKeys(old, new)}: both work for a while) or revokes one
     * ({@code acceptAdestraKeys(new)}: the old one answers 401), as {@code PUT /_sandbox/keys} does.
     * {@link #reset()} goes back to the configured key.
     */
    public void acceptAdestraKeys(String... keys) {
        running().adestra.acceptKeys(List.of(keys));
    }

    /** As {@link #acceptAdestraKeys} for the Taxonomy write keys; the read-only key stays valid. */
    public void acceptPermutiveKeys(String... keys) {
        running().taxonomy.acceptKeys(List.of(keys));
    }

    public String permutiveReadOnlyKey() {
        return settings.permutiveReadOnlyKey();
    }

    public long seed() {
        return settings.seed();
    }

    /** Whether the Taxonomy API answers per-row errors inside a 2xx instead of the published contract's. */
    public boolean taxonomyRowErrors() {
        return settings.taxonomyRowErrors();
    }

    /** The lists and imports created at start and after every reset. */
    public List<Long> configuredLists() {
        return settings.lists();
    }

    public List<String> configuredImports() {
        return settings.imports();
    }

    /** The state file, or null. */
    public Path stateFile() {
        return settings.stateFile();
    }

    /** A client of this sandbox's {@code /_sandbox/} API. */
    public synchronized SandboxClient client() {
        if (client == null) {
            client = SandboxClient.connect(baseUrl());
        }
        return client;
    }

    public FaultConfig faults() {
        return running().faults.config();
    }

    /** Replaces the faults and restarts their ordinal, as {@code PUT /_sandbox/faults} does. */
    public void setFaults(FaultConfig faults) {
        running().faults.configure(Objects.requireNonNull(faults));
    }

    /** Back to the start: configured lists and imports (empty), no stats or log, the start faults and keys. */
    public void reset() {
        running().reset();
    }

    public SandboxStats stats() {
        SandboxCore c = running();
        return c.stats.snapshot(c.concurrency);
    }

    /** Writes the state file now (it is also written within the flush interval of a change, and on close). */
    public void saveState() {
        SandboxCore c = running();
        if (c.persister == null) {
            throw new IllegalStateException("the sandbox was built without a state file");
        }
        try {
            c.persister.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops serving (open connections are closed, pending slow answers dropped) and writes the state file. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (http != null) {
            http.stop(0);
        }
        shutdownExecutors();
        if (core != null && core.persister != null) {
            try {
                core.persister.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the sandbox state file: " + e.getMessage(), e);
            }
        }
    }

    private void shutdownExecutors() {
        if (timer != null) {
            timer.shutdownNow();
        }
        if (workers != null) {
            workers.shutdownNow();
            try {
                workers.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private synchronized SandboxCore running() {
        if (core == null || closed) {
            throw new IllegalStateException(closed ? "sandbox is closed" : "sandbox not started");
        }
        return core;
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Configures a {@link SandboxServer}; every setting has a default, so {@code builder().build()} works. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 0;
        private String adestraKey = DEFAULT_ADESTRA_KEY;
        private String adestraAuthScheme = DEFAULT_ADESTRA_AUTH_SCHEME;
        private String permutiveKey = DEFAULT_PERMUTIVE_KEY;
        private String permutiveReadOnlyKey = DEFAULT_PERMUTIVE_READONLY_KEY;
        private final LinkedHashSet<Long> lists = new LinkedHashSet<>();
        private final LinkedHashSet<String> imports = new LinkedHashSet<>();
        private FaultConfig faults = FaultConfig.NONE;
        private long seed = DEFAULT_SEED;
        private Path stateFile;
        private long stateFlushMs = 200;
        private int workerThreads = 64;
        private int logCapacity = 100_000;
        private int adestraConcurrencyLimit = DEFAULT_ADESTRA_CONCURRENCY_LIMIT;
        private boolean taxonomyRowErrors;
        private int taxonomyPageSize = TaxonomyApi.DEFAULT_PUBLISHED_PAGE_SIZE;
        private boolean adestraDeleteAbsent404;

        private Builder() {}

        /** Address to bind; default 127.0.0.1 (loopback only). */
        public Builder host(String host) { this.host = Objects.requireNonNull(host); return this; }
        /** Port to bind; default 0 = any free port. */
        public Builder port(int port) { this.port = port; return this; }
        public Builder adestraKey(String key) { this.adestraKey = key; return this; }
        /** The scheme word of {@code Authorization: <scheme> <key>}; default TOKEN, compared ignoring case. */
        public Builder adestraAuthScheme(String scheme) { this.adestraAuthScheme = scheme; return this; }
        public Builder permutiveKey(String key) { this.permutiveKey = key; return this; }
        /** A Taxonomy key that may read (GET) but not write (PATCH → 403). */
        public Builder permutiveReadOnlyKey(String key) { this.permutiveReadOnlyKey = key; return this; }
        /** Adestra lists that exist at start and after every reset. */
        public Builder lists(long... listIds) { Arrays.stream(listIds).forEach(lists::add); return this; }
        public Builder lists(Collection<Long> listIds) { lists.addAll(listIds); return this; }
        /** Taxonomy imports that exist at start and after every reset. */
        public Builder imports(String... importIds) { return imports(Arrays.asList(importIds)); }
        public Builder imports(Collection<String> importIds) { imports.addAll(importIds); return this; }
        /** Faults active at start and after every reset; default none. */
        public Builder faults(FaultConfig faults) { this.faults = Objects.requireNonNull(faults); return this; }
        /** Seeds batch shuffling and (unless the fault config has its own seed) fault draws; default 1. */
        public Builder seed(long seed) { this.seed = seed; return this; }
        /** Load state from this file at start and keep it written there; default none (memory only). */
        public Builder stateFile(Path stateFile) { this.stateFile = stateFile; return this; }
        /** How soon after a change the state file is written; default 200 ms. */
        public Builder stateFlushMs(long ms) { this.stateFlushMs = ms; return this; }
        /** HTTP worker threads; default 64. Latency and slow answers hold no thread while they wait. */
        public Builder workerThreads(int n) { this.workerThreads = n; return this; }
        /** Request log entries kept (oldest dropped first); default 100,000. */
        public Builder logCapacity(int n) { this.logCapacity = n; return this; }
        /** Adestra requests in flight per key before 429; default 10, as Adestra documents. */
        public Builder adestraConcurrencyLimit(int n) { this.adestraConcurrencyLimit = n; return this; }
        /**
         * Default false: the Taxonomy API plays Permutive's published contract (a refused batch is one 404/409
         * for the whole request, nothing applied; 400s in plain text; {@code elements} pages). True keeps the
         * sandbox's earlier answers: per-row errors inside a 200, JSON 400s, {@code items} pages.
         */
        public Builder taxonomyRowErrors(boolean rowErrors) { this.taxonomyRowErrors = rowErrors; return this; }
        /** Segments per {@code GET …/segments} page under the published contract; default 50. */
        public Builder taxonomyPageSize(int n) { this.taxonomyPageSize = n; return this; }
        /**
         * A {@code DELETE} of a contact that is not on the list answers 404 instead of 204: Adestra
         * does not document which it answers, so a client must be right under both. A missing list
         * answers 404 either way. Default false.
         */
        public Builder adestraDeleteAbsent404(boolean on) { this.adestraDeleteAbsent404 = on; return this; }

        /** @throws IllegalArgumentException naming the bad setting */
        public SandboxServer build() {
            require(port >= 0 && port <= 65535, "port must be 0-65535, is " + port);
            require(notBlank(adestraKey), "adestraKey must not be blank");
            require(notBlank(adestraAuthScheme) && !adestraAuthScheme.contains(" "),
                    "adestraAuthScheme must be one word");
            require(notBlank(permutiveKey), "permutiveKey must not be blank");
            require(notBlank(permutiveReadOnlyKey), "permutiveReadOnlyKey must not be blank");
            require(!permutiveKey.equals(permutiveReadOnlyKey), "permutiveReadOnlyKey must differ from permutiveKey");
            require(lists.stream().allMatch(l -> l >= 0), "list ids must not be negative");
            require(imports.stream().allMatch(Builder::notBlank), "import ids must not be blank");
            require(imports.stream().noneMatch(i -> i.contains("/")), "import ids must not contain '/'");
            require(stateFlushMs > 0, "stateFlushMs must be positive");
            require(workerThreads >= 1, "workerThreads must be at least 1");
            require(logCapacity >= 1, "logCapacity must be at least 1");
            require(adestraConcurrencyLimit >= 1, "adestraConcurrencyLimit must be at least 1");
            require(taxonomyPageSize >= 1, "taxonomyPageSize must be at least 1");
            return new SandboxServer(new Settings(host, port, adestraKey, adestraAuthScheme, permutiveKey,
                    permutiveReadOnlyKey, List.copyOf(new ArrayList<>(lists)), List.copyOf(new ArrayList<>(imports)),
                    faults, seed, stateFile, stateFlushMs, workerThreads, logCapacity, adestraConcurrencyLimit,
                    taxonomyRowErrors, taxonomyPageSize, adestraDeleteAbsent404));
        }

        private static boolean notBlank(String s) {
            return s != null && !s.isBlank();
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
