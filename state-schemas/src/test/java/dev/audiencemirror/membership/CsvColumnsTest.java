package dev.audiencemirror.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CsvColumnsTest {

    @Test
    void aHeaderWeKnowIsReadByName() throws Exception {
        assertThat(CsvColumns.fromFirstLines("\uFEFFCohort,score,User_ID", "1001,0.5,u1"))
                .contains(new CsvColumns(2, 0, 3, List.of("cohort", "score", "user_id")));
    }

    @Test
    void aFirstLineThatIsARowMeansNoHeader() throws Exception {
        assertThat(CsvColumns.fromFirstLines("u-00002,1001", "u-00003,1002")).isEmpty();
        assertThat(CsvColumns.fromFirstLines("u1,sports", null)).isEmpty();
        // Rows without a digit anywhere are rows, not a header, when the next line has none either.
        assertThat(CsvColumns.fromFirstLines("alice,sports", "bob,news")).isEmpty();
        // A broken row is rejected as a row, not taken for a header.
        assertThat(CsvColumns.fromFirstLines("u3,c1,extra", "u4,c2")).isEmpty();
        assertThat(CsvColumns.fromFirstLines("\"unterminated,c1", "u4,c2")).isEmpty();
        assertThat(CsvColumns.fromFirstLines("{\"user_id\":\"u1\",\"cohort\":1001}", null)).isEmpty();
    }

    @Test
    void aHeaderWeDoNotKnowNamesTheColumnsFoundAndWanted() {
        // Swapped and renamed: read by position, every row would be "user 1001 in cohort u-00002".
        assertThatThrownBy(() -> CsvColumns.fromFirstLines("segment_id,uid", "1001,u-00002"))
                .isInstanceOf(CsvColumns.HeaderException.class)
                .hasMessage("the first line is a header this run does not know (it names: segment_id, uid); wanted: a header"
                        + " naming user_id and cohort (in any order, other columns ignored), or no header and rows user_id,cohort");
        // Three columns: no row of a file without a header has them.
        assertThatThrownBy(() -> CsvColumns.fromFirstLines("segment,source,uid", "1001,web,u-00002"))
                .isInstanceOf(CsvColumns.HeaderException.class)
                .hasMessageContaining("(it names: segment, source, uid)");
        assertThatThrownBy(() -> CsvColumns.fromFirstLines("Segment ID,User", null))
                .hasMessageContaining("(it names: segment id, user)");
    }

    @Test
    void aHeaderWithOnlyOneColumnWeNeedNamesTheMissingOne() {
        assertThatThrownBy(() -> CsvColumns.fromFirstLines("user_id,segment", "u1,1001"))
                .hasMessage("the CSV header has no \"cohort\" column (it names: user_id, segment)");
        assertThatThrownBy(() -> CsvColumns.fromFirstLines("user_id,cohort,user_id", null))
                .hasMessageContaining("names a column twice");
    }

    @Test
    void theLayoutReadsRowsOfThatFile() throws Exception {
        Optional<CsvColumns> layout = CsvColumns.fromFirstLines("cohort,user_id", "1001,u1");
        assertThat(new MembershipRowParser(layout.orElseThrow()).parse("m.csv", 2, "1001,u1").orElseThrow())
                .isEqualTo(new MembershipRow("u1", "1001"));
    }
}
