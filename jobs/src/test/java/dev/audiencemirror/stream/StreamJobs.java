package dev.audiencemirror.stream;

import dev.audiencemirror.config.MirrorConfig;
import dev.audiencemirror.destinations.Destinations;
import java.util.concurrent.ExecutionException;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The streaming job as the end-to-end tests run it, on their MiniCluster. */
public final class StreamJobs {
    private StreamJobs() {}

    /** An environment with the config's Flink settings at parallelism 2, the job defined on it: the caller executes it. */
    public static StreamExecutionEnvironment define(MirrorConfig config, StreamConnections io, Destinations destinations) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(StreamJob.flinkConfiguration(config));
        env.setParallelism(2);
        StreamJob.define(env, config, io, destinations);
        return env;
    }

    /** Cancels the job and waits until it is gone: it writes checkpoints under the test's folder. */
    public static void cancel(JobClient job) throws Exception {
        job.cancel().get();
        try {
            job.getJobExecutionResult().get();
        } catch (ExecutionException cancelled) {
            // expected: a cancelled job has no result
        }
    }
}
