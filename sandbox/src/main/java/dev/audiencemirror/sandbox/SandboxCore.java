package dev.audiencemirror.sandbox;

import dev.audiencemirror.sandbox.adestra.AdestraApi;
import dev.audiencemirror.sandbox.adestra.AdestraLists;
import dev.audiencemirror.sandbox.fault.FaultInjector;
import dev.audiencemirror.sandbox.http.EffectRecorder;
import dev.audiencemirror.sandbox.http.Request;
import dev.audiencemirror.sandbox.http.Response;
import dev.audiencemirror.sandbox.inspect.ConcurrencyTracker;
import dev.audiencemirror.sandbox.inspect.RequestLog;
import dev.audiencemirror.sandbox.inspect.RequestStats;
import dev.audiencemirror.sandbox.state.StateFile;
import dev.audiencemirror.sandbox.state.StatePersister;
import dev.audiencemirror.sandbox.taxonomy.TaxonomyApi;
import dev.audiencemirror.sandbox.taxonomy.TaxonomyImports;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Everything one running sandbox holds, shared by the request handlers. */
final class SandboxCore {

    final SandboxServer.Settings settings;
    final RequestStats stats = new RequestStats();
    final ConcurrencyTracker concurrency = new ConcurrencyTracker();
    final RequestLog log;
    final FaultInjector faults;
    final StatePersister persister;
    final AdestraLists lists;
    final TaxonomyImports imports;
    final AdestraApi adestra;
    final TaxonomyApi taxonomy;

    private volatile Executor workers;
    private volatile ScheduledExecutorService timer;

    SandboxCore(SandboxServer.Settings settings) throws IOException {
        this.settings = settings;
        this.log = new RequestLog(settings.logCapacity());
        this.faults = new FaultInjector(settings.faults(), settings.seed());
        this.persister = settings.stateFile() == null ? null
                : new StatePersister(new StateFile(settings.stateFile()), this::snapshot, settings.stateFlushMs());
        this.lists = new AdestraLists(this::changed);
        this.imports = new TaxonomyImports(this::changed);
        this.adestra = new AdestraApi(settings.adestraKey(), settings.adestraAuthScheme(), lists, stats,
                settings.adestraDeleteAbsent404());
        this.taxonomy = new TaxonomyApi(settings.permutiveKey(), settings.permutiveReadOnlyKey(), imports, stats,
                settings.seed(), settings.taxonomyRowErrors(), settings.taxonomyPageSize());
        if (persister != null) {
            StateFile.Snapshot saved = persister.file().load();
            if (saved != null) {
                lists.restore(saved.adestraLists());
                imports.restore(saved.taxonomyImports());
            }
        }
        createConfigured();
    }

    void useExecutors(Executor workers, ScheduledExecutorService timer) {
        this.workers = workers;
        this.timer = timer;
    }

    /** Runs {@code task} on a worker after {@code delayMs}, holding no thread while waiting. */
    void later(long delayMs, Runnable task) {
        try {
            timer.schedule(() -> {
                try {
                    workers.execute(task);
                } catch (RejectedExecutionException stopping) {
                    // The sandbox is closing; the connection goes with it.
                }
            }, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            // As above.
        }
    }

    /** The request's key when it is a valid key of its API, else null. */
    String validKey(Endpoint endpoint, Request request) {
        return endpoint.api() == Endpoint.Api.ADESTRA ? adestra.validKey(request) : taxonomy.validKey(request);
    }

    Response handle(Endpoint endpoint, Request request, String validKey, EffectRecorder recorder) {
        return endpoint.api() == Endpoint.Api.ADESTRA
                ? adestra.handle(endpoint, request, validKey, recorder)
                : taxonomy.handle(endpoint, request, validKey, recorder);
    }

    /** Back to the configured start: configured lists and imports, empty; no log, no stats; start faults and keys. */
    void reset() {
        lists.restore(Map.of());
        imports.restore(Map.of());
        createConfigured();
        log.clear();
        stats.clear();
        concurrency.resetMax();
        faults.configure(settings.faults());
        taxonomy.reset();
        adestra.acceptKeys(List.of(settings.adestraKey()));
        taxonomy.acceptKeys(List.of(settings.permutiveKey()));
    }

    StateFile.Snapshot snapshot() {
        return new StateFile.Snapshot(StateFile.VERSION, lists.snapshot(), imports.snapshot());
    }

    private void createConfigured() {
        settings.lists().forEach(lists::create);
        settings.imports().forEach(id -> imports.create(id, null));
    }

    private void changed() {
        if (persister != null) {
            persister.markChanged();
        }
    }
}
