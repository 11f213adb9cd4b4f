package dev.audiencemirror.progress;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Where a command's progress goes. On an interactive terminal, one line rewritten in place
 * ({@code \r}) about every second; otherwise (a file, a pipe, a CronJob's log) plain lines, at
 * most one every few seconds, so a log stays readable. Lines that stay ({@link #println}) first
 * clear the progress line.
 */
public final class ProgressPrinter {
    private final PrintStream out;
    private final boolean updating;
    private final Duration interval;
    /** Length of the progress line on the terminal now; 0 when none. */
    private int shown;

    public ProgressPrinter(PrintStream out, boolean updatingLine, Duration interval) {
        this.out = out;
        this.updating = updatingLine;
        this.interval = interval;
    }

    /** For {@code out}: an updating line when it is the standard output of a process run on a terminal. */
    public static ProgressPrinter forTerminal(PrintStream out) {
        boolean terminal = out == System.out && System.console() != null;
        return new ProgressPrinter(out, terminal, terminal ? Duration.ofSeconds(1) : Duration.ofSeconds(5));
    }

    /** Plain lines every few seconds. */
    public static ProgressPrinter plain(PrintStream out) {
        return new ProgressPrinter(out, false, Duration.ofSeconds(5));
    }

    /** How often progress is worth printing here. */
    public Duration interval() {
        return interval;
    }

    /** The current progress: replaces the last progress line on a terminal, a new line otherwise. */
    public synchronized void update(String line) {
        if (!updating) {
            out.println(line);
            out.flush();
            return;
        }
        out.print("\r" + line + " ".repeat(Math.max(0, shown - line.length())));
        out.flush();
        shown = line.length();
    }

    /** A line that stays, such as a phase's summary: it takes the progress line's place. */
    public synchronized void println(String line) {
        clear();
        out.println(line);
        out.flush();
    }

    /** Removes the progress line, if one is shown. */
    public synchronized void clear() {
        if (shown > 0) {
            out.print("\r" + " ".repeat(shown) + "\r");
            out.flush();
            shown = 0;
        }
    }
}
