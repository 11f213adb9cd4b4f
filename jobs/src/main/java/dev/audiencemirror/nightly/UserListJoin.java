package dev.audiencemirror.nightly;

import java.util.HashSet;
import java.util.Set;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Joins, per user, the contact ID from the identity snapshot with the lists of the user's
 * activated cohorts, giving today's target (contact, list) pairs. In batch mode a user's records
 * arrive together and the end-of-key timer fires once they are all in, whatever their order.
 * Users in activated cohorts without a contact ID go to {@link #UNMATCHED} and are counted: they
 * cannot be on a list, and are the first thing to check when "users are missing".
 */
final class UserListJoin extends KeyedProcessFunction<String, UserInput, PairFlags> {
    private static final long serialVersionUID = 1L;

    static final OutputTag<String> UNMATCHED = new OutputTag<>("unmatched-users", Types.STRING);
    static final String UNMATCHED_COUNTER = "users.without-contact";

    private transient ValueState<String> contact;
    private transient ListState<Long> lists;
    private transient LongCounter unmatched;

    @Override
    public void open(OpenContext context) {
        contact = getRuntimeContext().getState(new ValueStateDescriptor<>("contact", Types.STRING));
        lists = getRuntimeContext().getListState(new ListStateDescriptor<>("lists", Types.LONG));
        unmatched = getRuntimeContext().getLongCounter(UNMATCHED_COUNTER);
    }

    @Override
    public void processElement(UserInput in, Context ctx, Collector<PairFlags> out) throws Exception {
        if (in.isIdentity()) {
            // Several identity lines for one user: the first wins, so the result does not depend on
            // which line Flink happens to read last.
            if (contact.value() == null) {
                contact.update(in.contactId());
            }
        } else {
            lists.add(in.listId());
        }
        ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<PairFlags> out) throws Exception {
        String contactId = contact.value();
        Iterable<Long> userLists = lists.get();
        boolean any = userLists != null && userLists.iterator().hasNext();
        if (!any) {
            return; // an identity with no activated cohort: nothing to sync
        }
        if (contactId == null) {
            unmatched.add(1);
            ctx.output(UNMATCHED, ctx.getCurrentKey());
            return;
        }
        Set<Long> distinct = new HashSet<>();
        for (Long list : userLists) {
            if (distinct.add(list)) {
                out.collect(new PairFlags(contactId, list, PairFlags.TARGET));
            }
        }
    }
}
