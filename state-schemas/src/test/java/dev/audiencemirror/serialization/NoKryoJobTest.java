package dev.audiencemirror.serialization;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.identity.Alias;
import dev.audiencemirror.identity.IdentityRecord;
import dev.audiencemirror.listop.ListAction;
import dev.audiencemirror.listop.ListKey;
import dev.audiencemirror.listop.ListOperation;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/**
 * A real job with Kryo forbidden ({@code pipeline.generic-types: false}), the types crossing the
 * network and sitting in RocksDB state (which serializes on every access): it fails at job build
 * time if any of them would fall back to Kryo.
 */
class NoKryoJobTest {

    /** Keeps the highest-version operation per (contact, list) and emits it when it changes. */
    static final class LatestOperation extends KeyedProcessFunction<ListKey, ListOperation, String> {
        private transient ValueState<ListOperation> latest;

        @Override
        public void open(OpenContext context) {
            latest = getRuntimeContext().getState(
                    new ValueStateDescriptor<>("latest", TypeInformation.of(ListOperation.class)));
        }

        @Override
        public void processElement(ListOperation op, Context ctx, Collector<String> out) throws Exception {
            ListOperation seen = latest.value();
            if (seen == null || op.version() > seen.version()) {
                latest.update(op);
                out.collect(ctx.getCurrentKey() + " " + op.action() + " v" + op.version());
            }
        }
    }

    /** Keeps each user's identity and emits the contact ID whenever a record arrives. */
    static final class ContactOf extends KeyedProcessFunction<String, IdentityRecord, String> {
        private transient ValueState<IdentityRecord> identity;

        @Override
        public void open(OpenContext context) {
            identity = getRuntimeContext().getState(
                    new ValueStateDescriptor<>("identity", TypeInformation.of(IdentityRecord.class)));
        }

        @Override
        public void processElement(IdentityRecord r, Context ctx, Collector<String> out) throws Exception {
            IdentityRecord before = identity.value();
            if (before == null || r.time().isAfter(before.time())) {
                identity.update(r);
            }
            out.collect(r.userId() + " -> " + identity.value().contactIdFor("adestra").orElse("none"));
        }
    }

    @Test
    void typesRunThroughNetworkAndRocksDbStateWithoutKryo() throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.setString("state.backend.type", "rocksdb");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);

        DataStream<String> lists = env.fromData(TypeInformation.of(ListOperation.class),
                        new ListOperation("4711", 678, ListAction.ADD, 1, 1),
                        new ListOperation("4711", 678, ListAction.REMOVE, 2, 3),
                        new ListOperation("4711", 678, ListAction.ADD, 3, 2), // late retry: older version
                        new ListOperation("42", 678, ListAction.ADD, 4, 1))
                .keyBy(ListOperation::key, TypeInformation.of(ListKey.class))
                .process(new LatestOperation())
                .returns(Types.STRING);

        Instant t = Instant.parse("2026-11-27T05:00:00Z");
        DataStream<String> contacts = env.fromData(TypeInformation.of(IdentityRecord.class),
                        new IdentityRecord("u1", List.of(new Alias("adestra", "4711", 1)), t),
                        new IdentityRecord("u1", List.of(new Alias("adestra", "99", 0), new Alias("adestra", "4711", 1)),
                                t.plusSeconds(1)),
                        new IdentityRecord("u1", List.of(), t.minusSeconds(1))) // stale: ignored
                .keyBy(IdentityRecord::userId, Types.STRING)
                .process(new ContactOf())
                .returns(Types.STRING);

        List<String> out = lists.union(contacts).executeAndCollect(100);

        assertThat(out).containsExactlyInAnyOrder(
                "contact=4711 list=678 ADD v1",
                "contact=4711 list=678 REMOVE v3",
                "contact=42 list=678 ADD v1",
                "u1 -> 4711",
                "u1 -> 99",
                "u1 -> 99");
    }
}
