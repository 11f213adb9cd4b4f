package dev.audiencemirror.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Progress on a terminal is one line rewritten in place; in a log, lines. */
class ProgressPrinterTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @Test
    void onATerminalProgressRewritesOneLineAndASummaryTakesItsPlace() {
        ProgressPrinter p = new ProgressPrinter(out, true, Duration.ofSeconds(1));
        p.update("push: 1 s, 10 of 99 sent");
        p.update("push: 2 s, 9 of 9");
        p.println("pushed in 2.0 s");
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text).isEqualTo("\rpush: 1 s, 10 of 99 sent" + "\rpush: 2 s, 9 of 9" + " ".repeat(7)
                + "\r" + " ".repeat(17) + "\r" + "pushed in 2.0 s" + System.lineSeparator());
        // What the terminal shows at the end: the summary alone on its line.
        String[] screen = text.split("\r");
        assertThat(screen[screen.length - 1]).isEqualTo("pushed in 2.0 s" + System.lineSeparator());
    }

    @Test
    void elsewhereEveryUpdateIsALineOfItsOwn() {
        ProgressPrinter p = new ProgressPrinter(out, false, Duration.ofSeconds(5));
        p.update("push: 5 s, 10 of 99 sent");
        p.update("push: 10 s, 50 of 99 sent");
        p.println("pushed in 12.0 s");
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines().toList())
                .containsExactly("push: 5 s, 10 of 99 sent", "push: 10 s, 50 of 99 sent", "pushed in 12.0 s");
        assertThat(bytes.toString(StandardCharsets.UTF_8)).doesNotContain("\r");
    }
}
