package dev.audiencemirror.sandbox.taxonomy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchParserTest {

    private static List<SegmentOperation> parse(String json) throws MalformedBatchException {
        return BatchParser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static MalformedBatchException rejected(String json) {
        try {
            parse(json);
        } catch (MalformedBatchException e) {
            return e;
        }
        throw new AssertionError("accepted: " + json);
    }

    @Test
    void readsAllThreeShapes() throws Exception {
        List<SegmentOperation> ops = parse("{\"operations\":["
                + "{\"operation\":\"Create\",\"data\":{\"code\":\"a\",\"name\":\"A\",\"description\":\"d\",\"cpm\":1.5,"
                + "\"categories\":[\"x\",\"y\"]}},"
                + "{\"operation\":\"Update\",\"code\":\"b\",\"data\":{\"name\":\"B2\",\"cpm\":null}},"
                + "{\"operation\":\"Delete\",\"code\":\"c\"}]}");
        assertThat(ops).extracting(SegmentOperation::kind).containsExactly(
                SegmentOperation.Kind.CREATE, SegmentOperation.Kind.UPDATE, SegmentOperation.Kind.DELETE);
        assertThat(ops.get(0).created()).isEqualTo(new Segment("a", "A", "d", 1.5, List.of("x", "y")));
        Segment updated = ops.get(1).update().apply(new Segment("b", "B", "keep", 2.0, null));
        assertThat(updated).isEqualTo(new Segment("b", "B2", "keep", null, null));
        assertThat(ops.get(2).code()).isEqualTo("c");
    }

    @Test
    void createWithoutNameNamesTheRowAndField() {
        MalformedBatchException e = rejected("{\"operations\":[{\"operation\":\"Delete\",\"code\":\"x\"},"
                + "{\"operation\":\"Create\",\"data\":{\"code\":\"a\"}}]}");
        assertThat(e.index()).isEqualTo(1);
        assertThat(e.field()).isEqualTo("data.name");
        assertThat(e.getMessage()).startsWith("operations[1].data.name:");
    }

    @Test
    void rowProblemsAreLocated() {
        assertThat(rejected("{\"operations\":[{\"operation\":\"Create\",\"data\":{\"name\":\"A\"}}]}").field())
                .isEqualTo("data.code");
        assertThat(rejected("{\"operations\":[{\"operation\":\"Create\"}]}").field()).isEqualTo("data");
        assertThat(rejected("{\"operations\":[{\"operation\":\"Upsert\",\"code\":\"a\"}]}").getMessage())
                .contains("operations[0].operation").contains("Upsert");
        assertThat(rejected("{\"operations\":[{\"code\":\"a\"}]}").field()).isEqualTo("operation");
        assertThat(rejected("{\"operations\":[{\"operation\":\"Update\",\"data\":{\"name\":\"A\"}}]}").field())
                .isEqualTo("code");
        assertThat(rejected("{\"operations\":[{\"operation\":\"Delete\"}]}").field()).isEqualTo("code");
        assertThat(rejected("{\"operations\":[{\"operation\":\"Create\",\"data\":{\"code\":\"a\",\"name\":\"A\","
                + "\"cpm\":\"cheap\"}}]}").field()).isEqualTo("data.cpm");
        assertThat(rejected("{\"operations\":[{\"operation\":\"Create\",\"data\":{\"code\":\"a\",\"name\":\"A\","
                + "\"categories\":[1]}}]}").field()).isEqualTo("data.categories");
        assertThat(rejected("{\"operations\":[{\"operation\":\"Create\",\"data\":{\"code\":\"a\",\"name\":\"A\","
                + "\"nmae\":\"typo\"}}]}").field()).isEqualTo("data.nmae");
        assertThat(rejected("{\"operations\":[{\"operation\":\"Update\",\"code\":\"a\",\"data\":{\"code\":\"b\"}}]}")
                .field()).isEqualTo("data.code");
        assertThat(rejected("{\"operations\":[7]}").index()).isZero();
    }

    @Test
    void bodyProblemsHaveNoRow() {
        assertThat(rejected("not json").index()).isNull();
        assertThat(rejected("[]").index()).isNull();
        assertThat(rejected("{\"ops\":[]}").field()).isEqualTo("operations");
    }

    @Test
    void atMost5000Operations() throws Exception {
        StringBuilder sb = new StringBuilder("{\"operations\":[");
        for (int i = 0; i < 5001; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"operation\":\"Delete\",\"code\":\"c").append(i).append("\"}");
        }
        String over = sb.append("]}").toString();
        assertThatThrownBy(() -> parse(over)).isInstanceOf(MalformedBatchException.class)
                .hasMessageContaining("at most 5000");
        String exactly = over.replaceFirst("\\{\"operation\":\"Delete\",\"code\":\"c0\"},", "");
        assertThat(parse(exactly)).hasSize(5000);
    }
}
