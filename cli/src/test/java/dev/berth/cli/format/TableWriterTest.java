package dev.berth.cli.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TableWriterTest {
    @Test
    void columnsAreTheWidestCellPlusThreeAndAtLeastTen() {
        TableWriter w = new TableWriter();
        w.write("CONTAINER ID\tIMAGE\tNAMES\n");
        w.write("9be6a1c55763\tbusybox\ts1\n");
        w.write("0123456789ab\tregistry.example/x\tlonger-name\n");
        assertThat(w.render()).isEqualTo("""
                CONTAINER ID   IMAGE                NAMES
                9be6a1c55763   busybox              s1
                0123456789ab   registry.example/x   longer-name
                """);
    }

    @Test
    void theLastCellIsNotPaddedAndWidthsCountCodePoints() {
        TableWriter w = new TableWriter();
        w.write("A\tB\n\"sh -c echo…\"\tx\n");
        assertThat(w.render()).isEqualTo("A               B\n\"sh -c echo…\"   x\n");
    }

    @Test
    void formatterMakesDockersTablesAndTemplates() throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ID", "CONTAINER ID");
        headers.put("Names", "NAMES");
        List<Map<String, Object>> rows = List.of(Map.of("ID", "abc", "Names", "web"));
        assertThat(Formatter.render(null, "{{.ID}}\t{{.Names}}", headers, rows)).isEqualTo("CONTAINER ID   NAMES\nabc            web\n");
        assertThat(Formatter.render("table {{.Names}}\\t{{.ID}}", "", headers, rows)).isEqualTo("NAMES     CONTAINER ID\nweb       abc\n");
        assertThat(Formatter.render("{{.Names}}", "", headers, rows)).isEqualTo("web\n");
        assertThat(Formatter.render("json", "", headers, List.of(new java.util.TreeMap<>(rows.getFirst()))))
                .isEqualTo("{\"ID\":\"abc\",\"Names\":\"web\"}\n");
        assertThat(Formatter.render(null, "{{.ID}}\t{{.Names}}", headers, List.of())).isEqualTo("CONTAINER ID   NAMES\n");
    }

    @Test
    void indentedJsonIsDockerInspects() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", "x");
        m.put("Args", List.of());
        m.put("State", Map.of("Pid", 0));
        assertThat(GoJson.indented(List.of(m), "    ")).isEqualTo("""
                [
                    {
                        "Id": "x",
                        "Args": [],
                        "State": {
                            "Pid": 0
                        }
                    }
                ]""");
    }
}
