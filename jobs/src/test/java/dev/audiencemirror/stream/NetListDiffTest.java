package dev.audiencemirror.stream;

import static dev.audiencemirror.listop.ListAction.ADD;
import static dev.audiencemirror.listop.ListAction.REMOVE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.listop.ListAction;
import dev.audiencemirror.listop.ListChange;
import dev.audiencemirror.listop.ListKey;
import dev.audiencemirror.listop.ListOperation;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The net diff per (contact, list) on Flink's keyed one-input harness, with a 1 s window. */
class NetListDiffTest {
    private static final long START = 1_000_000;

    private KeyedOneInputStreamOperatorTestHarness<ListKey, ListChange, ListOperation> harness;

    private static KeyedOneInputStreamOperatorTestHarness<ListKey, ListChange, ListOperation> newHarness() throws Exception {
        return newHarness(new NetListDiffOperator(new NetListDiff(Duration.ofSeconds(1), Optional.empty())));
    }

    private static KeyedOneInputStreamOperatorTestHarness<ListKey, ListChange, ListOperation> newHarness(
            KeyedProcessOperator<ListKey, ListChange, ListOperation> operator) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(operator, ListChange::key, TypeInformation.of(ListKey.class));
        h.setup();
        return h;
    }

    @BeforeEach
    void start() throws Exception {
        harness = newHarness();
        harness.open();
        harness.setProcessingTime(START);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void request(ListAction action, String contact, long list, long eventTime) throws Exception {
        request("u1", action, contact, list, eventTime);
    }

    private void request(String user, ListAction action, String contact, long list, long eventTime) throws Exception {
        harness.processElement(new StreamRecord<>(new ListChange(contact, list, user, action, eventTime)));
    }

    private void at(long millisAfterStart) throws Exception {
        harness.setProcessingTime(START + millisAfterStart);
    }

    private List<ListOperation> sent() {
        List<ListOperation> out = harness.extractOutputValues();
        harness.getOutput().clear();
        return out;
    }

    @Test
    void theLatestRequestOfAWindowIsSentOnceWhenTheWindowCloses() throws Exception {
        request(ADD, "4711", 678, 1);
        at(300);
        request(REMOVE, "4711", 678, 2);
        request(ADD, "4711", 678, 3);
        request(REMOVE, "4712", 678, 4);
        at(999);
        assertThat(sent()).as("the window is still open").isEmpty();

        at(1000); // one window for every key, from the first request on
        // Nothing was sent for 4712 by this job: a removal may still be needed (the nightly
        // run or an earlier deployment may have added the contact), so it goes out.
        assertThat(sent()).containsExactly(new ListOperation("4711", 678, ADD, 3, START + 1000),
                new ListOperation("4712", 678, REMOVE, 4, START + 1000));
        at(1300);
        assertThat(sent()).isEmpty();

        request(ADD, "4712", 678, 5); // the next window opens with the next request
        at(2299);
        assertThat(sent()).isEmpty();
        at(2300);
        assertThat(sent()).containsExactly(new ListOperation("4712", 678, ADD, 5, START + 2300));
    }

    @Test
    void aCheckpointClosesTheOpenWindowsBeforeItsBarrierSoItHoldsNone() throws Exception {
        request(ADD, "4711", 678, 1);
        request(REMOVE, "4712", 679, 2);
        at(400);
        harness.prepareSnapshotPreBarrier(1);
        OperatorSubtaskState snapshot = harness.snapshot(1, START + 400);
        assertThat(sent()).as("sent before the barrier").extracting(ListOperation::key)
                .containsExactly(new ListKey("4711", 678), new ListKey("4712", 679));
        harness.close();

        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
        harness.setProcessingTime(START + 5000);
        harness.endInput();
        assertThat(sent()).as("nothing was pending in the checkpoint").isEmpty();
    }

    @Test
    void moreOpenKeysThanTheBoundCloseTheWindowEarly() throws Exception {
        for (int i = 0; i < NetListDiffOperator.MAX_OPEN_KEYS - 1; i++) {
            request(ADD, Integer.toString(i), 678, 1);
        }
        assertThat(sent()).isEmpty();
        request(ADD, "last", 678, 1);
        assertThat(sent()).hasSize(NetListDiffOperator.MAX_OPEN_KEYS);
    }

    @Test
    void windowsPendingInStateCloseWhenTheirTimerFiresAfterARestore() throws Exception {
        // Earlier builds, and this one while it rebuilds holders, keep open windows in the state
        // with a timer per key: restored from a build without holders, a request takes that path.
        harness.close();
        harness = newHarness(new KeyedProcessOperator<>(new NetListDiff(Duration.ofSeconds(1), Optional.empty())));
        harness.open();
        OperatorSubtaskState withoutHolders = harness.snapshot(1, START);
        harness.close();
        harness = newHarness();
        harness.initializeState(withoutHolders);
        harness.open();
        harness.setProcessingTime(START);
        request(ADD, "4711", 678, 1);
        OperatorSubtaskState pending = harness.snapshot(2, START + 100);
        assertThat(sent()).isEmpty();
        harness.close();

        harness = newHarness();
        harness.initializeState(pending);
        harness.open();
        harness.setProcessingTime(START + 999);
        assertThat(sent()).isEmpty();
        harness.setProcessingTime(START + 1000);
        assertThat(sent()).containsExactly(new ListOperation("4711", 678, ADD, 1, START + 1000));
    }

    @Test
    void anEntryAndExitInsideOneWindowSendNothing() throws Exception {
        request(ADD, "4711", 678, 1);
        at(1000);
        assertThat(sent()).hasSize(1);

        at(5000);
        request(REMOVE, "4711", 678, 2);
        request(ADD, "4711", 678, 3);
        at(6000);
        assertThat(sent()).as("net effect equals what was sent").isEmpty();

        request(ADD, "4711", 678, 4); // the same again, alone in its window
        at(7000);
        assertThat(sent()).isEmpty();

        request(REMOVE, "4711", 678, 5);
        at(8000);
        assertThat(sent()).containsExactly(new ListOperation("4711", 678, REMOVE, 5, START + 8000));
    }

    @Test
    void versionsIncreasePerKeyEvenWhenTheClockDoesNot() throws Exception {
        request(ADD, "4711", 678, 1);
        at(1000);
        long first = sent().get(0).version();

        // A second window closing in the same millisecond (here: closed by the end of input).
        request(REMOVE, "4711", 678, 2);
        harness.endInput();
        ListOperation second = sent().get(0);
        assertThat(second.action()).isEqualTo(REMOVE);
        assertThat(second.version()).isGreaterThan(first);
    }

    @Test
    void theEndOfABoundedInputClosesEveryOpenWindow() throws Exception {
        request(ADD, "4711", 678, 1);
        request(ADD, "4712", 679, 2);
        harness.endInput();
        assertThat(sent()).extracting(ListOperation::key)
                .containsExactlyInAnyOrder(new ListKey("4711", 678), new ListKey("4712", 679));
    }

    @Test
    void afterARestoreTheFirstWindowPerKeySendsEvenAnUnchangedAction() throws Exception {
        request(ADD, "4711", 678, 1);
        at(1000);
        ListOperation before = sent().get(0);
        at(2000);
        OperatorSubtaskState snapshot = harness.snapshot(1, START + 2000);
        harness.close();

        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
        harness.setProcessingTime(START + 2000);
        request(ADD, "4711", 678, 3); // equal to what the state says was sent, but after the
        at(3000);                     // checkpoint a REMOVE may have gone out before the failure
        assertThat(sent()).singleElement()
                .satisfies(op -> assertThat(op.key()).isEqualTo(new ListKey("4711", 678)))
                .satisfies(op -> assertThat(op.version()).isGreaterThan(before.version()));

        request(ADD, "4711", 678, 4); // from now on this run knows what it sent
        at(4000);
        assertThat(sent()).isEmpty();
    }

    @Test
    void aSharedContactStaysOnTheListWhileAnyOfItsUsersPutsItThere() throws Exception {
        request("u1", ADD, "4711", 678, 1);
        request("u2", ADD, "4711", 678, 2);
        at(1000);
        assertThat(sent()).containsExactly(new ListOperation("4711", 678, ADD, 2, START + 1000));

        request("u2", REMOVE, "4711", 678, 3); // u1 still puts it there
        request("u3", REMOVE, "4711", 678, 4); // u3 never did
        at(2000);
        assertThat(sent()).isEmpty();
        at(5000);
        request("u1", REMOVE, "4711", 678, 5); // the last one goes
        at(6000);
        assertThat(sent()).containsExactly(new ListOperation("4711", 678, REMOVE, 5, START + 6000));
    }

    @Test
    void restoredFromStateWithoutHoldersNoWindowSendsUntilTheFirstSnapshot() throws Exception {
        // The previous build's diff: no holders marker in its snapshot.
        harness.close();
        harness = newHarness(new KeyedProcessOperator<>(new NetListDiff(Duration.ofSeconds(1), Optional.empty())));
        harness.open();
        harness.setProcessingTime(START);
        request(ADD, "4711", 678, 1);
        at(1000);
        assertThat(sent()).hasSize(1);
        OperatorSubtaskState old = harness.snapshot(1, START + 1000);
        harness.close();

        harness = newHarness();
        harness.initializeState(old);
        harness.open();
        harness.setProcessingTime(START + 1000);
        // Another user's word arrives before u1's re-assertion: it must not remove the contact.
        request("u2", REMOVE, "4711", 678, 2);
        at(3000);
        assertThat(sent()).as("holders still being rebuilt").isEmpty();
        request("u1", ADD, "4711", 678, 1); // the re-assertion
        harness.snapshot(2, START + 3000); // every re-assertion arrived before this barrier
        at(5000);
        assertThat(sent()).as("the first window after a restore sends").extracting(ListOperation::action).containsExactly(ADD);
        request("u1", REMOVE, "4711", 678, 6);
        at(7000);
        assertThat(sent()).extracting(ListOperation::action).containsExactly(REMOVE);
    }

    @Test
    void withAUserTtlAKeyWithoutHoldersIsForgottenOnceItsWindowCloses() throws Exception {
        harness.close();
        harness = newHarness(new NetListDiffOperator(new NetListDiff(Duration.ofSeconds(1), Optional.of(Duration.ofMinutes(1)))));
        harness.open();
        harness.setProcessingTime(START);
        request(ADD, "4711", 678, 1);
        request(REMOVE, "4712", 678, 1);
        at(1000);
        assertThat(sent()).hasSize(2);
        assertThat(harness.numKeyedStateEntries()).as("only the held key is kept").isEqualTo(1);
    }
}
