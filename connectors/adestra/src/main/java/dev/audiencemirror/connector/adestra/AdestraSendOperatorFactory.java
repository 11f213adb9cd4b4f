package dev.audiencemirror.connector.adestra;

import dev.audiencemirror.listop.ListOperation;
import org.apache.flink.streaming.api.operators.AbstractStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.OneInputStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.StreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;

/** Creates {@link AdestraSendOperator}s with the task's mailbox, which the operator hands its HTTP answers to. */
final class AdestraSendOperatorFactory extends AbstractStreamOperatorFactory<ListOperation>
        implements OneInputStreamOperatorFactory<ListOperation, ListOperation> {
    private static final long serialVersionUID = 1L;

    private final AdestraSinkConfig config;

    AdestraSendOperatorFactory(AdestraSinkConfig config) {
        this.config = config;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends StreamOperator<ListOperation>> T createStreamOperator(StreamOperatorParameters<ListOperation> parameters) {
        return (T) new AdestraSendOperator(parameters, config);
    }

    @Override
    public Class<? extends StreamOperator> getStreamOperatorClass(ClassLoader classLoader) {
        return AdestraSendOperator.class;
    }
}
