package dev.audiencemirror.files;

import java.io.IOException;
import java.net.URI;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.FileSystemFactory;
import org.apache.flink.core.fs.local.LocalFileSystem;

/**
 * A file-system plugin for tests, as {@code s3://}'s is one: scheme {@value #SCHEME}, whose paths
 * are the local files of the same path, given only when the Flink settings it is configured with
 * say {@code mirrortest.enabled: true}, so that a test sees its config's {@code flink:} settings
 * reach the plugin. Not registered on the class path: a test puts it in a plugins folder.
 */
public final class TestSchemeFileSystemFactory implements FileSystemFactory {
    public static final String SCHEME = "mirrortest";
    private boolean enabled;

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public void configure(Configuration config) {
        enabled = "true".equals(config.toMap().get("mirrortest.enabled"));
    }

    @Override
    public FileSystem create(URI fsUri) throws IOException {
        if (!enabled) {
            throw new IOException("mirrortest.enabled is not true in the Flink settings the plugin was given");
        }
        return LocalFileSystem.getSharedInstance();
    }
}
