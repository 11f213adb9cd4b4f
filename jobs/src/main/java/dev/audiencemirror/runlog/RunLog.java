package dev.audiencemirror.runlog;

import java.nio.file.Path;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.FileAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Where a local run's log goes: the terminal is for the progress and report lines (and a failure's
 * cause in a line), so once a command knows its run folder the log goes to a file there, stack
 * traces and all, instead of the terminal ({@code conf/log4j2-local.properties} sends warnings there
 * until then, one line each). Only in a JVM of {@code bin/mirror}'s own: where Flink runs the main,
 * its logging is the cluster's and is left alone.
 */
public final class RunLog {
    private static final String APPENDER = "RunLog";
    /** The console appender of {@code conf/log4j2-local.properties}. */
    private static final String CONSOLE = "Console";

    private static volatile boolean ownJvm;
    private static Path file;

    private RunLog() {}

    /** The file the log goes to, once a command has chosen one. */
    public static synchronized Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** Call in main when the JVM is the command's own ({@code bin/mirror}). */
    public static void install() {
        ownJvm = true;
    }

    /**
     * From now on the log goes to {@code logFile} (appended) and no longer to the terminal. Empty,
     * and nothing changes, unless {@link #install} ran and log4j is the logging in use; the file
     * first chosen stays for the JVM's life.
     */
    public static synchronized Optional<Path> to(Path logFile) {
        if (!ownJvm) {
            return Optional.empty();
        }
        if (file != null) {
            return Optional.of(file);
        }
        if (!(LogManager.getContext(false) instanceof LoggerContext context)) {
            return Optional.empty();
        }
        Configuration config = context.getConfiguration();
        FileAppender appender = FileAppender.newBuilder()
                .setName(APPENDER)
                .withFileName(logFile.toString())
                .withAppend(true)
                .setLayout(PatternLayout.newBuilder().withConfiguration(config)
                        .withPattern("%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%t] %c{1} - %msg%n").build())
                .setConfiguration(config)
                .build();
        appender.start();
        config.addAppender(appender);
        LoggerConfig root = config.getRootLogger();
        root.removeAppender(CONSOLE);
        root.addAppender(appender, null, null);
        context.updateLoggers();
        file = logFile;
        return Optional.of(logFile);
    }
}
