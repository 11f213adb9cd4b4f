package dev.audiencemirror.stream;

import static dev.audiencemirror.listop.ListAction.ADD;
import static dev.audiencemirror.listop.ListAction.REMOVE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.event.MembershipEvent;
import dev.audiencemirror.identity.Alias;
import dev.audiencemirror.identity.IdentityRecord;
import dev.audiencemirror.identity.PositionedIdentity;
import dev.audiencemirror.listop.ListAction;
import dev.audiencemirror.listop.ListChange;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The per-user stage on Flink's keyed two-input harness: the rules of {@link UserMembership}. */
class UserMembershipTest {
    /** c1 → 678; c2 and c3 both → 679. */
    private static final Map<String, Long> ACTIVATIONS = Map.of("c1", 678L, "c2", 679L, "c3", 679L);
    private static final Instant T = Instant.parse("2026-11-27T05:00:00Z");

    private KeyedTwoInputStreamOperatorTestHarness<String, PositionedIdentity, MembershipEvent, ListChange> harness;

    private static KeyedTwoInputStreamOperatorTestHarness<String, PositionedIdentity, MembershipEvent, ListChange> harness(
            Optional<Duration> ttl) throws Exception {
        return harness(new UserMembershipOperator(new UserMembership(ACTIVATIONS, "adestra", ttl)));
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, PositionedIdentity, MembershipEvent, ListChange> harness(
            KeyedCoProcessOperator<String, PositionedIdentity, MembershipEvent, ListChange> operator) throws Exception {
        var h = new KeyedTwoInputStreamOperatorTestHarness<>(operator, UserKeys::of, UserKeys::of, Types.STRING);
        h.setup();
        return h;
    }

    private void start() throws Exception {
        harness = harness(Optional.empty());
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    private static IdentityRecord identity(String user, long secondsAfterT, Alias... aliases) {
        return new IdentityRecord(user, Arrays.asList(aliases), T.plusSeconds(secondsAfterT));
    }

    private static Alias adestra(String contact, int priority) {
        return new Alias("adestra", contact, priority);
    }

    private static MembershipEvent enter(String user, String cohort, long secondsAfterT) {
        return MembershipEvent.forUser(user, cohort, true, T.plusSeconds(secondsAfterT));
    }

    private static MembershipEvent exit(String user, String cohort, long secondsAfterT) {
        return MembershipEvent.forUser(user, cohort, false, T.plusSeconds(secondsAfterT));
    }

    private long line;

    /** Sent as the next line of the input "identities.jsonl". */
    private void send(IdentityRecord r) throws Exception {
        harness.processElement1(new StreamRecord<>(new PositionedIdentity(r, "identities.jsonl", ++line)));
    }

    private void send(MembershipEvent e) throws Exception {
        harness.processElement2(new StreamRecord<>(e));
    }

    /** The requests emitted since the last call, as "ADD 4711 678". */
    private List<String> requests() {
        List<String> out = harness.extractOutputValues().stream()
                .map(c -> c.action() + " " + c.contactId() + " " + c.listId())
                .toList();
        harness.getOutput().clear();
        return out;
    }

    /** The requests emitted since the last call, as "u1: ADD 4711 678". */
    private List<String> requestsByUser() {
        List<String> out = harness.extractOutputValues().stream()
                .map(c -> c.userKey() + ": " + c.action() + " " + c.contactId() + " " + c.listId())
                .toList();
        harness.getOutput().clear();
        return out;
    }

    private static String req(ListAction action, String contact, long list) {
        return action + " " + contact + " " + list;
    }

    @Test
    void membershipBeforeIdentityIsHeldAndAddedWhenTheContactAppears() throws Exception {
        start();
        send(enter("u1", "c1", 10));
        send(enter("u1", "c2", 11));
        send(exit("u1", "c3", 12));
        assertThat(requests()).as("no contact yet: held, nothing requested").isEmpty();

        send(identity("u1", 5, adestra("4711", 1)));
        assertThat(requests()).containsExactlyInAnyOrder(
                req(ADD, "4711", 678), req(ADD, "4711", 679)); // 679: in c2, though out of c3
    }

    @Test
    void anEventOlderThanTheOneHeldForItsCohortIsIgnoredAndATieKeepsTheCurrentOne() throws Exception {
        start();
        send(identity("u1", 0, adestra("4711", 1)));
        send(enter("u1", "c1", 20));
        assertThat(requests()).containsExactly(req(ADD, "4711", 678));

        send(exit("u1", "c1", 10)); // older: ignored
        send(exit("u1", "c1", 20)); // same time: the entry held stays
        assertThat(requests()).isEmpty();

        send(exit("u1", "c1", 21));
        send(enter("u1", "c1", 15)); // out of order again
        assertThat(requests()).containsExactly(req(REMOVE, "4711", 678));
    }

    @Test
    void aRecordThatChangesNoListRequestsNothing() throws Exception {
        start();
        send(identity("u1", 0, adestra("4711", 1)));
        send(enter("u1", "c1", 1));
        assertThat(requests()).containsExactly(req(ADD, "4711", 678));
        send(enter("u1", "c1", 2)); // in already
        send(identity("u1", 3, adestra("4711", 1))); // the same contact again
        assertThat(requests()).isEmpty();
        send(exit("u1", "c1", 4));
        send(exit("u1", "c1", 5));
        assertThat(requests()).containsExactly(req(REMOVE, "4711", 678));
    }

    @Test
    void theAliasWithTheBestPriorityIsTheContact() throws Exception {
        start();
        send(identity("u1", 0, new Alias("email", "x@y", -5), adestra("4711", 3), adestra("4712", 1)));
        send(enter("u1", "c1", 1));
        assertThat(requests()).containsExactly(req(ADD, "4712", 678));
    }

    @Test
    void aChangedContactLeavesEveryListAndTheNewOneJoinsTheUsersLists() throws Exception {
        start();
        send(identity("u1", 0, adestra("4711", 1)));
        send(enter("u1", "c1", 1));
        send(exit("u1", "c2", 2));
        requests();

        send(identity("u1", 10, adestra("4712", 1)));
        assertThat(requests()).containsExactlyInAnyOrder(
                req(REMOVE, "4711", 678), req(REMOVE, "4711", 679), // every activated list
                req(ADD, "4712", 678), req(REMOVE, "4712", 679));

        // A late record naming the old contact does not bring it back, and removes it once more.
        send(identity("u1", 5, adestra("4711", 1)));
        assertThat(requests()).containsExactlyInAnyOrder(req(REMOVE, "4711", 678), req(REMOVE, "4711", 679));
        send(exit("u1", "c1", 20));
        assertThat(requests()).containsExactly(req(REMOVE, "4712", 678));
    }

    @Test
    void aUserWhoLosesTheContactAliasLeavesTheListsAndIsHeld() throws Exception {
        start();
        send(identity("u1", 0, adestra("4711", 1)));
        send(enter("u1", "c1", 1));
        requests();

        send(identity("u1", 10, new Alias("email", "x@y", 0)));
        assertThat(requests()).containsExactlyInAnyOrder(req(REMOVE, "4711", 678), req(REMOVE, "4711", 679));
        send(enter("u1", "c2", 11));
        assertThat(requests()).isEmpty();
        send(identity("u1", 12, adestra("4713", 1)));
        assertThat(requests()).containsExactlyInAnyOrder(req(ADD, "4713", 678), req(ADD, "4713", 679));
    }

    @Test
    void aListFedByTwoCohortsKeepsTheUserWhileTheyAreInEither() throws Exception {
        start();
        send(identity("u1", 0, adestra("4711", 1)));
        send(enter("u1", "c2", 1));
        send(enter("u1", "c3", 2));
        send(exit("u1", "c2", 3));
        // The first event of each cohort speaks; leaving c2 changes nothing while in c3.
        assertThat(requests()).containsExactly(req(ADD, "4711", 679), req(ADD, "4711", 679));
        send(exit("u1", "c3", 4));
        assertThat(requests()).containsExactly(req(REMOVE, "4711", 679));
    }

    @Test
    void anEventNamingTheContactAliasNeedsNoIdentityRecord() throws Exception {
        start();
        send(MembershipEvent.forAlias("adestra", "9001", "c1", true, T));
        send(MembershipEvent.forAlias("adestra", "9001", "c1", false, T.minusSeconds(1)));
        assertThat(requests()).containsExactly(req(ADD, "9001", 678));
        assertThat(UserKeys.of(MembershipEvent.forAlias("adestra", "9001", "c1", true, T))).isEqualTo("alias:adestra:9001");
    }

    @Test
    void stateSurvivesASnapshotAndRestore() throws Exception {
        start();
        send(enter("u1", "c1", 20)); // held, no contact
        send(identity("u2", 0, adestra("5000", 1)));
        send(enter("u2", "c1", 20));
        requests();
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        harness.close();

        harness = harness(Optional.empty());
        harness.initializeState(snapshot);
        harness.open();
        send(exit("u2", "c1", 10)); // still older than what the restored state holds
        assertThat(requests()).as("restored: the user's word on their lists, once").containsExactly(req(ADD, "5000", 678));
        send(exit("u2", "c1", 11));
        assertThat(requests()).isEmpty();
        send(identity("u1", 0, adestra("4711", 1))); // the held membership was restored too
        assertThat(requests()).containsExactly(req(ADD, "4711", 678));
    }

    @Test
    void anInactiveUserLeavesTheirListsWhenTheTtlRunsOut() throws Exception {
        harness = harness(Optional.of(Duration.ofMinutes(1)));
        harness.open();
        harness.setProcessingTime(0);
        send(identity("u1", 0, adestra("4711", 1)));
        send(enter("u1", "c1", 1));
        send(exit("u1", "c2", 2));
        requests();

        harness.setProcessingTime(30_000);
        send(enter("u1", "c3", 3)); // activity: the deadline moves to 90 s
        requests();
        harness.setProcessingTime(60_000);
        assertThat(requests()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);

        harness.setProcessingTime(90_000);
        assertThat(requests()).containsExactlyInAnyOrder(req(REMOVE, "4711", 678), req(REMOVE, "4711", 679));
        assertThat(harness.numKeyedStateEntries()).isZero();

        send(exit("u1", "c1", 0)); // a fresh start: nothing older is known any more, and no contact
        assertThat(requests()).isEmpty();
    }

    @Test
    void onTheSameEventTimeTheIdentityLaterInItsInputWins() throws Exception {
        start();
        send(enter("u1", "c1", 1));
        send(identity("u1", 10, adestra("4711", 1)));
        send(identity("u1", 10, adestra("4712", 1))); // same time, the next line: wins
        assertThat(requests()).containsExactlyInAnyOrder(req(ADD, "4711", 678),
                req(REMOVE, "4711", 678), req(REMOVE, "4711", 679), req(ADD, "4712", 678));

        // The same time at an earlier position (as a replay after a restore may deliver it): loses.
        harness.processElement1(new StreamRecord<>(new PositionedIdentity(
                identity("u1", 10, adestra("4711", 1)), "identities.jsonl", 1)));
        assertThat(requests()).as("a stale record naming another contact releases it")
                .containsExactlyInAnyOrder(req(REMOVE, "4711", 678), req(REMOVE, "4711", 679));
        send(exit("u1", "c1", 20));
        assertThat(requests()).containsExactly(req(REMOVE, "4712", 678));
    }

    @Test
    void everyRequestSpeaksForItsUserSoUsersSharingAContactAreToldApart() throws Exception {
        start();
        send(identity("u1", 0, adestra("4711", 1)));
        send(identity("u2", 0, adestra("4711", 1)));
        send(enter("u1", "c1", 1));
        send(exit("u2", "c1", 2));
        assertThat(requestsByUser()).containsExactly("u1: ADD 4711 678", "u2: REMOVE 4711 678");
        send(identity("u2", 5, adestra("4712", 1)));
        assertThat(requestsByUser()).as("u2's move releases only u2's word on 4711").containsExactlyInAnyOrder(
                "u2: REMOVE 4711 678", "u2: REMOVE 4711 679", "u2: REMOVE 4712 678");
    }

    @Test
    void restoredFromStateWithoutHoldersEveryUserRequestsTheirListsOnce() throws Exception {
        // A snapshot of the per-user stage as the previous build ran it: no holders marker.
        harness = harness(new KeyedCoProcessOperator<>(new UserMembership(ACTIVATIONS, "adestra", Optional.empty())));
        harness.open();
        send(identity("u1", 0, adestra("4711", 1)));
        send(enter("u1", "c1", 1));
        send(exit("u1", "c2", 2));
        send(identity("u2", 0, adestra("4712", 1)));
        send(enter("u2", "c3", 3));
        send(enter("u3", "c1", 4)); // held: no contact
        requests();
        OperatorSubtaskState old = harness.snapshot(1, 1);
        harness.close();

        harness = harness(Optional.empty());
        harness.initializeState(old);
        harness.open();
        assertThat(requestsByUser()).containsExactlyInAnyOrder(
                "u1: ADD 4711 678", "u1: REMOVE 4711 679", "u2: ADD 4712 679");

        // Once restored from this build's own state, nothing is re-asserted.
        OperatorSubtaskState current = harness.snapshot(2, 2);
        harness.close();
        harness = harness(Optional.empty());
        harness.initializeState(current);
        harness.open();
        assertThat(requests()).isEmpty();
    }
}
