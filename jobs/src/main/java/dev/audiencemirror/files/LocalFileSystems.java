package dev.audiencemirror.files;

import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.plugin.PluginUtils;

/**
 * The file systems of {@code bin/mirror}'s own JVM, which is a Flink cluster of its own (the local
 * mini-cluster): as a cluster's processes do when they start, it loads the file-system plugins
 * ({@code s3://} and the like) from the folder {@code FLINK_PLUGINS_DIR} names ({@code plugins/}
 * in the checkout, says bin/mirror), and configures them with the config's {@code flink:}
 * settings ({@code s3.endpoint}, ...). A main that Flink runs has the cluster's: nothing is done there.
 */
public final class LocalFileSystems {
    private static final String AWS_SDK_NOTICE = "aws.java.v1.disableDeprecationAnnouncement";
    private static volatile boolean installed;

    private LocalFileSystems() {}

    /** Call in main when this JVM is bin/mirror's, not one Flink runs the main in. */
    public static void install() {
        installed = true;
    }

    /**
     * Sets up the file systems for a config's {@code flink:} settings (no change unless
     * {@link #install} ran); the problem, naming {@code flink:}, when those settings are refused.
     */
    public static List<String> configure(Map<String, String> flinkSettings) {
        if (!installed) {
            return List.of();
        }
        Configuration conf = Configuration.fromMap(flinkSettings);
        // The S3 plugin's AWS SDK prints a deprecation notice, with a stack trace, on the terminal when it loads.
        if (System.getProperty(AWS_SDK_NOTICE) == null) {
            System.setProperty(AWS_SDK_NOTICE, "true");
        }
        try {
            FileSystem.initialize(conf, PluginUtils.createPluginManagerFromRootFolder(conf));
            return List.of();
        } catch (RuntimeException e) {
            return List.of("flink: the file systems cannot be set up with these settings: " + e.getMessage());
        }
    }
}
