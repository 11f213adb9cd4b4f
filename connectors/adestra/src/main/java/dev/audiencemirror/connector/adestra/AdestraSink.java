package dev.audiencemirror.connector.adestra;

import dev.audiencemirror.connector.common.DeadLetter;
import dev.audiencemirror.connector.common.DeadLetteringSink;
import dev.audiencemirror.listop.ListOperation;
import java.util.Collection;
import java.util.Optional;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.connector.sink2.SupportsPreWriteTopology;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Applies Adestra contact list operations: ADD is {@code POST /contacts/{contact}/lists/{list}},
 * REMOVE is {@code DELETE} on the same path.
 *
 * <ul>
 *   <li>The pre-write topology keys the input by (contact, list) and sends from a keyed operator
 *       ({@link AdestraSendOperator}, named {@value #SENDER_NAME}): one key is always handled by
 *       one subtask, at most one request in flight per key.
 *   <li>What is not yet acknowledged is in that operator's keyed state, so it moves with its key
 *       group on a rescale: after a restore at any parallelism, a restored operation and every
 *       newer one of its key are on the same subtask.
 *   <li>Operations the API refuses for good become {@link DeadLetter}s, routed to the configured
 *       dead-letter sink.
 * </ul>
 *
 * See the module README for why this design and what a restore re-sends.
 */
@PublicEvolving
public final class AdestraSink extends DeadLetteringSink<ListOperation, AdestraWriterState>
        implements SupportsPreWriteTopology<ListOperation> {
    private static final long serialVersionUID = 1L;

    /** The sending operator's name, in the job graph and in metric scopes ({@code operator_name}). */
    public static final String SENDER_NAME = "adestra: send";
    /** The sending operator's uid, under the sink's: {@code sinkTo(sink).uid(...)} is required. */
    static final String SENDER_UID = "adestra-send";
    /**
     * The sender's counts and gauges as accumulators, {@code adestra.<metric>}
     * ({@code SinkMetrics.accumulator}), for a client to read while the job runs.
     */
    public static final String ACCUMULATORS = "adestra";
    /** Accumulator (and metric): the requests all senders may have in flight now (AIMD), summed over subtasks. */
    public static final String CONCURRENCY_LIMIT = "concurrencyLimit";
    /**
     * Accumulator (and metric counter): removals answered 404 on a list that exists, so done, the
     * contact was not on it; also counted in {@code operationsSucceeded}.
     */
    public static final String REMOVALS_ALREADY_ABSENT = "removalsAlreadyAbsent";
    /**
     * Accumulator (and metric counter): requests of the start-up check (reading each list) that
     * failed and were tried again, so a run waiting for an unreachable API shows that it is trying.
     */
    public static final String STARTUP_CHECK_RETRIES = "startupCheckRetries";
    /**
     * Accumulator (and metric counter): operations sent once more after the settle delay because an
     * older call of their key had an unknown fate and might have landed after them. Rare on a healthy API.
     */
    public static final String OPERATIONS_RESENT_AFTER_UNCERTAIN = "operationsResentAfterUncertain";

    private final AdestraSinkConfig config;
    /** Set while Flink expands this sink: from the pre-write topology to the post-commit one. */
    private transient DataStream<DeadLetter> sentDeadLetters;

    AdestraSink(AdestraSinkConfig config, Sink<DeadLetter> deadLetterSink) {
        super(deadLetterSink, "adestra");
        this.config = config;
    }

    public static AdestraSinkBuilder builder() {
        return new AdestraSinkBuilder();
    }

    public AdestraSinkConfig config() {
        return config;
    }

    @Override
    public AdestraSinkWriter restoreWriter(WriterInitContext context, Collection<AdestraWriterState> recoveredState) {
        return new AdestraSinkWriter(context, recoveredState);
    }

    @Override
    public SimpleVersionedSerializer<AdestraWriterState> getWriterStateSerializer() {
        return new AdestraWriterStateSerializer();
    }

    @Override
    public DataStream<ListOperation> addPreWriteTopology(DataStream<ListOperation> input) {
        // Its keyed state must restore whatever is added upstream: a uid, which Flink prefixes with
        // the sink's ("adestra-sink: adestra-send") and which makes a uid on the sink required.
        SingleOutputStreamOperator<ListOperation> sent = input.keyBy(ListOperation::key)
                .transform(SENDER_NAME, TypeInformation.of(ListOperation.class), new AdestraSendOperatorFactory(config))
                .uid(SENDER_UID);
        sentDeadLetters = sent.getSideOutput(AdestraSendOperator.DEAD_LETTERS);
        return sent;
    }

    @Override
    protected Optional<DataStream<DeadLetter>> preWriteDeadLetters() {
        return Optional.ofNullable(sentDeadLetters);
    }
}
