package dev.audiencemirror.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SandboxMainTest {

    private static final class Run {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final int code;

        Run(String... args) {
            code = SandboxMain.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        }

        String out() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void helpDocumentsEveryFlagAndExitsZero() {
        Run r = new Run("--help");
        assertThat(r.code).isZero();
        assertThat(r.out()).contains("--port", "--lists", "--import", "--adestra-key", "--permutive-key",
                "--permutive-readonly-key", "--state-file", "--seed", "--latency-ms", "--latency-jitter-ms",
                "--rate-429", "--rate-500", "--rate-503", "--drop-rate", "--slow-rate", "--slow-ms", "--hold-rate", "--hold-ms",
                "--fail-next", "sandbox-adestra-key", "sandbox-permutive-key", "sandbox-permutive-readonly-key");
        assertThat(r.out()).contains("--adestra-delete-absent-404");
    }

    @Test
    void badFlagsExitTwoNamingTheFlag() {
        assertBad("unknown flag --nope", "--nope", "1");
        assertBad("--port needs a value", "--port");
        assertBad("--port: 'abc' is not a whole number", "--port", "abc");
        assertBad("--port: must be 0-65535", "--port", "70000");
        assertBad("--lists: 'x7' is not a whole number", "--lists", "678,x7");
        assertBad("--rate-500: must be between 0 and 1", "--rate-500", "1.5");
        assertBad("--drop-rate: 'lots' is not a number", "--drop-rate=lots");
        assertBad("--fail-next-status: must be 0 (drop) or 400-599", "--fail-next-status", "302");
        assertBad("--fault-scope:", "--fault-scope", "kafka");
        assertBad("fault flags: rate_429 + rate_500", "--rate-500", "0.6", "--rate-503", "0.6");
        assertBad("unexpected argument 'serve'", "serve");
        assertBad("permutiveReadOnlyKey must differ", "--permutive-key", "same", "--permutive-readonly-key", "same");
    }

    @Test
    void showPrintsTheListsAndSegmentsOfAStateFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("state.json");
        try (SandboxServer server = SandboxServer.builder().port(0).lists(678, 679).imports("imp-1").stateFile(file).build().start()) {
            server.client().putList(678, java.util.List.of(5001L, 5002L));
            server.client().putImport("imp-1", java.util.List.of(dev.audiencemirror.sandbox.taxonomy.Segment.of("s1", "Sports")));
            server.client().save();
        }
        Run r = new Run("--show", file.toString());
        assertThat(r.code).as(r.out()).isZero();
        assertThat(r.out()).contains("Adestra list 678: 2 contacts (5001, 5002)").contains("Adestra list 679: 0 contacts")
                .contains("Permutive import imp-1: 1 segments").contains("s1  Sports");
        assertThat(new Run("--show", dir.resolve("nope.json").toString()).code).isEqualTo(1);
    }

    private static void assertBad(String message, String... args) {
        Run r = new Run(args);
        assertThat(r.code).as(String.join(" ", args)).isEqualTo(2);
        assertThat(r.out()).contains(message);
    }

    @Test
    void parsesFlagsIntoTheServerSettings() throws Exception {
        SandboxOptions o = SandboxOptions.parse(new String[] {"--port=0", "--lists", "678,679", "--lists", "680",
                "--import", "a,b", "--import", "c", "--adestra-key", "ak", "--seed", "99", "--latency-ms", "5",
                "--rate-429", "0.1", "--fail-next", "2", "--fault-scope", "adestra"});
        try (SandboxServer s = o.builder.build()) {
            assertThat(s.configuredLists()).containsExactly(678L, 679L, 680L);
            assertThat(s.configuredImports()).containsExactly("a", "b", "c");
            assertThat(s.adestraKey()).isEqualTo("ak");
            assertThat(s.seed()).isEqualTo(99);
        }
        assertThat(SandboxOptions.parse(new String[0]).builder.build().configuredLists()).isEmpty();
    }

    @Test
    void taxonomyRowErrorsIsASwitchThatTakesNoValue() throws Exception {
        assertThat(SandboxOptions.parse(new String[0]).builder.build().taxonomyRowErrors()).isFalse();
        SandboxOptions o = SandboxOptions.parse(new String[] {"--taxonomy-row-errors", "--lists", "678"});
        try (SandboxServer s = o.builder.build()) {
            assertThat(s.taxonomyRowErrors()).isTrue();
            assertThat(s.configuredLists()).containsExactly(678L);
        }
        assertThat(SandboxOptions.parse(new String[] {"--taxonomy-row-errors=false"}).builder.build().taxonomyRowErrors())
                .isFalse();
        assertThat(SandboxOptions.parse(new String[] {"--taxonomy-page-size", "3"}).builder.build().taxonomyRowErrors())
                .isFalse();
        assertBad("--taxonomy-row-errors: must be true or false", "--taxonomy-row-errors=maybe");
        assertBad("--taxonomy-page-size: must be 1-100000", "--taxonomy-page-size", "0");
        assertThat(new Run("--help").out()).contains("--taxonomy-row-errors", "--taxonomy-page-size");
    }

    @Test
    void theDeleteAbsent404SwitchTakesNoValue() throws Exception {
        assertThat(SandboxOptions.parse(new String[] {"--adestra-delete-absent-404", "--lists", "678"}).builder.build()
                .adestraDeleteAbsent404()).isTrue();
        assertThat(SandboxOptions.parse(new String[] {"--lists", "678"}).builder.build().adestraDeleteAbsent404()).isFalse();
    }

    @Test
    void servesUntilInterruptedThenReturnsZero() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        AtomicInteger code = new AtomicInteger(-1);
        Thread t = new Thread(() -> code.set(SandboxMain.run(new String[] {"--port", "0", "--lists", "678",
                "--import", "32f8e031-c532-41bb-b25e-65bdb677a96f", "--rate-503", "0.5"}, out)));
        t.start();
        Pattern url = Pattern.compile("listening on (http://\\S+)");
        Matcher m = url.matcher("");
        long deadline = System.currentTimeMillis() + 10_000;
        // The banner is printed line by line: wait for its last line, not just the first.
        while (!(bytes.toString(StandardCharsets.UTF_8).contains("state file:")
                        && (m = url.matcher(bytes.toString(StandardCharsets.UTF_8))).find())
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        String banner = bytes.toString(StandardCharsets.UTF_8);
        assertThat(banner).contains("TOKEN sandbox-adestra-key", "32f8e031-c532-41bb-b25e-65bdb677a96f", "[678]");
        SandboxClient client = SandboxClient.connect(m.group(1));
        assertThat(client.lists()).containsExactly(678L);
        assertThat(client.faults().rate503()).isEqualTo(0.5);
        t.interrupt();
        t.join(10_000);
        assertThat(t.isAlive()).isFalse();
        assertThat(code.get()).isZero();
        assertThat(client.healthy()).isFalse();
    }
}
