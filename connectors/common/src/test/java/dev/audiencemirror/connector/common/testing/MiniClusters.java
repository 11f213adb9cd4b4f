package dev.audiencemirror.connector.common.testing;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/** The MiniCluster a test class runs its jobs on: {@code @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.oneTaskManager(4);} */
public final class MiniClusters {
    private MiniClusters() {}

    /** One TaskManager with {@code slots} slots. */
    public static MiniClusterExtension oneTaskManager(int slots) {
        return oneTaskManager(slots, new Configuration());
    }

    /** One TaskManager with {@code slots} slots, and these settings (e.g. a metrics reporter's). */
    public static MiniClusterExtension oneTaskManager(int slots, Configuration settings) {
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setConfiguration(settings)
                .setNumberTaskManagers(1)
                .setNumberSlotsPerTaskManager(slots)
                .build());
    }
}
