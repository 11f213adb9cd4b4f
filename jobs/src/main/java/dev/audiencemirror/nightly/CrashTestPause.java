package dev.audiencemirror.nightly;

import java.util.Locale;

/**
 * Test hook, never set in production: with {@code -Daudiencemirror.test-hook.pause-at=<step>} a
 * run prints {@code paused at <step>} when it reaches that step of the commit and waits there, so
 * that a crash test can kill it exactly there ({@code NightlyCommitCrashITCase}). Not a setting:
 * no config key, and unset it costs one property read per step.
 */
final class CrashTestPause {
    static final String PROPERTY = "audiencemirror.test-hook.pause-at";
    /** A child the test forgot is not left behind: it ends as the kill would have ended it. */
    private static final long MAX_WAIT_MILLIS = 120_000;

    /** The named steps of a push and its commit, in the order a run reaches them. */
    enum Step {
        /** The push record is written; nothing is sent yet. */
        AFTER_JOURNAL,
        /** Every call is done; {@code CURRENT} still names the previous snapshot. */
        AFTER_PUSH,
        /** {@code CURRENT} names this run's snapshot; the push records it covered are still there. */
        AFTER_CURRENT,
        /** The covered push records are deleted; the run has not ended (older snapshots not pruned, no report). */
        AFTER_RECORDS_DELETED;

        /** e.g. {@code after-journal}. */
        String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private CrashTestPause() {}

    static void at(Step step) {
        if (!step.label().equals(System.getProperty(PROPERTY))) {
            return;
        }
        System.out.println("paused at " + step.label());
        System.out.flush();
        long until = System.currentTimeMillis() + MAX_WAIT_MILLIS;
        try {
            while (System.currentTimeMillis() < until) {
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Runtime.getRuntime().halt(137);
    }
}
