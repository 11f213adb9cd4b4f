package dev.audiencemirror.connector.common.testing;

import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The environments the connectors' tests run their jobs in, on a MiniCluster. */
public final class TestEnvironments {
    private TestEnvironments() {}

    /** No Kryo: every type on the wire has an explicit serializer. */
    public static Configuration noKryo() {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        return conf;
    }

    /** Without Kryo, at {@code parallelism}. */
    public static StreamExecutionEnvironment withParallelism(int parallelism) {
        return withParallelism(noKryo(), parallelism);
    }

    /**
     * For a failover test (with {@link FailOnceAfterCheckpoint}): without Kryo, at {@code parallelism},
     * a checkpoint every {@code checkpointInterval}, and a failed job restarted from its latest
     * checkpoint, 3 times at the most, 200 ms apart.
     */
    public static StreamExecutionEnvironment restartingFromCheckpoints(int parallelism, Duration checkpointInterval) {
        Configuration conf = noKryo();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        StreamExecutionEnvironment env = withParallelism(conf, parallelism);
        env.enableCheckpointing(checkpointInterval.toMillis());
        return env;
    }

    private static StreamExecutionEnvironment withParallelism(Configuration conf, int parallelism) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        return env;
    }
}
