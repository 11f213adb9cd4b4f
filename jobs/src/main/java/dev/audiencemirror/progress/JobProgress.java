package dev.audiencemirror.progress;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.JobListener;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prints a line about a running job at a fixed interval, made from the job's accumulators as its
 * client sees them ({@link JobClient#getAccumulators}, merged over the subtasks). A job listener:
 * it starts when the job is submitted and stops, without printing again, when the job ends, so
 * {@code env.execute()} is called as usual, locally or under {@code flink run}. Accumulators come
 * with the TaskManagers' heartbeats ({@link #localDefaults}).
 */
public final class JobProgress implements JobListener {
    private static final Logger LOG = LoggerFactory.getLogger(JobProgress.class);

    /** What to print, from the accumulators and the time since the job was submitted; null prints nothing. */
    public interface Line {
        String of(Map<String, Object> accumulators, Duration elapsed);
    }

    private final Duration interval;
    private final Line line;
    private final Consumer<String> print;
    private final Object lock = new Object();
    private ScheduledExecutorService timer;
    private boolean ended;

    private JobProgress(Duration interval, Line line, Consumer<String> print) {
        this.interval = interval;
        this.line = line;
        this.print = print;
    }

    /** A listener that, every {@code interval} while the job runs, prints {@code line} through {@code print}. */
    public static JobListener every(Duration interval, Line line, Consumer<String> print) {
        return new JobProgress(interval, line, print);
    }

    /** Every {@code interval} while the job {@code env} executes next runs, prints {@code line} through {@code print}. */
    public static void attach(StreamExecutionEnvironment env, Duration interval, Line line, Consumer<String> print) {
        env.registerJobListener(every(interval, line, print));
    }

    /**
     * Flink settings that make a local run's progress current: the TaskManager sends its
     * accumulators with each heartbeat, every 10 s by Flink's default; locally, every second. On a
     * cluster this job setting changes nothing (heartbeats are the cluster's).
     */
    public static void localDefaults(Map<String, String> flinkSettings) {
        flinkSettings.putIfAbsent("heartbeat.interval", "1 s");
    }

    /** An accumulator's value as a count, 0 when absent (not yet reported). */
    public static long count(Map<String, Object> accumulators, String name) {
        return accumulators.get(name) instanceof Number n ? n.longValue() : 0;
    }

    @Override
    public void onJobSubmitted(JobClient client, Throwable failure) {
        if (client == null) {
            return;
        }
        long submitted = System.nanoTime();
        synchronized (lock) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "progress of job " + client.getJobID());
                t.setDaemon(true);
                return t;
            });
            timer.scheduleWithFixedDelay(() -> tick(client, submitted), interval.toMillis(), interval.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    private void tick(JobClient client, long submitted) {
        try {
            Map<String, Object> accumulators = client.getAccumulators().get(interval.toMillis() * 2, TimeUnit.MILLISECONDS);
            String text = line.of(accumulators, Duration.ofNanos(System.nanoTime() - submitted));
            synchronized (lock) {
                if (!ended && text != null) {
                    print.accept(text);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // The job is starting or ending; the next tick tries again.
            LOG.debug("no accumulators for job {} this time", client.getJobID(), e);
        }
    }

    @Override
    public void onJobExecuted(JobExecutionResult result, Throwable failure) {
        synchronized (lock) {
            ended = true;
            if (timer != null) {
                timer.shutdownNow();
            }
        }
    }
}
