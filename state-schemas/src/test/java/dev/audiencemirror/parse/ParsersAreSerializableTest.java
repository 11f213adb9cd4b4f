package dev.audiencemirror.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.audiencemirror.event.EventParser;
import dev.audiencemirror.identity.IdentityParser;
import dev.audiencemirror.membership.MembershipRowParser;
import dev.audiencemirror.segment.SegmentParser;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

/** Parsers travel to the cluster inside Flink functions, so they must survive Java serialization. */
class ParsersAreSerializableTest {

    @Test
    void clonedParsersKeepTheirConfigurationAndWork() throws Exception {
        IdentityParser identity = InstantiationUtil.clone(new IdentityParser("esp"));
        assertThat(identity.contactAliasTag()).isEqualTo("esp");
        assertThat(identity.parse("f", 1, "{\"user_id\":\"u\",\"aliases\":[{\"tag\":\"esp\",\"id\":\"x\",\"priority\":0}],"
                + "\"time\":\"2026-11-27T05:00:00Z\"}")).isInstanceOf(ParseResult.Rejected.class);

        EventParser event = InstantiationUtil.clone(new EventParser("esp"));
        assertThat(event.contactAliasTag()).isEqualTo("esp");
        assertThat(event.parse("f", 1, "{\"user_id\":\"u\",\"name\":\"SegmentEntry\",\"time\":\"2026-11-27T05:00:00Z\","
                + "\"properties\":{\"segment_id\":1}}").isOk()).isTrue();

        assertThat(InstantiationUtil.clone(new SegmentParser()).parse("f", 1, "{\"code\":\"c\",\"name\":\"n\"}").isOk())
                .isTrue();
        assertThat(InstantiationUtil.clone(new MembershipRowParser()).parse("f", 1, "u,1").isOk()).isTrue();
    }
}
