package io.edgeplane.cli.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeplane.cli.api.ApiClient;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PrinterTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T12:00:00Z"), ZoneOffset.UTC);

    record Cluster(String name, String phase, String version, Map<String, String> labels, String createdAt) {
    }

    private final List<Column> columns = List.of(
            Column.field("Name", "name"),
            Column.field("Phase", "phase"),
            Column.field("Version", "version").wideOnly(),
            Column.field("Labels", "labels").wideOnly(),
            Column.age("Age", "createdAt", clock));

    private static Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("zone", "b");
        labels.put("site", "hamburg");
        return labels;
    }

    private final List<Cluster> clusters = List.of(
            new Cluster("store", "Running", "v1.36.3", labels(), "2026-01-01T11:55:00Z"),
            new Cluster("warehouse-eu", "Creating", "v1.36.3", Map.of(), "2025-12-29T12:00:00Z"));

    private Printer printer(OutputFormat format) {
        return new Printer(new PrintWriter(out), new PrintWriter(err), format, ApiClient.createDefaultObjectMapper());
    }

    @Test
    void tableAlignsColumnsLikeKubectl() {
        printer(OutputFormat.TABLE).list(clusters, columns);

        assertThat(out.toString()).isEqualTo("""
                NAME           PHASE      AGE
                store          Running    5m
                warehouse-eu   Creating   3d
                """);
    }

    @Test
    void wideAddsItsColumns() {
        printer(OutputFormat.WIDE).list(clusters, columns);

        assertThat(out.toString()).isEqualTo("""
                NAME           PHASE      VERSION   LABELS                AGE
                store          Running    v1.36.3   site=hamburg,zone=b   5m
                warehouse-eu   Creating   v1.36.3                         3d
                """);
    }

    @Test
    void jsonIsTheObjectsWithSortedMapKeysInAnItemsList() throws Exception {
        printer(OutputFormat.JSON).list(clusters, columns);

        String json = out.toString();
        assertThat(new ObjectMapper().readTree(json).path("items")).hasSize(2);
        assertThat(json).contains("\"labels\" : {\n      \"site\" : \"hamburg\",\n      \"zone\" : \"b\"\n    }");
        assertThat(json.indexOf("\"name\"")).isLessThan(json.indexOf("\"phase\""));
        StringWriter again = new StringWriter();
        new Printer(new PrintWriter(again), new PrintWriter(new StringWriter()), OutputFormat.JSON, ApiClient.createDefaultObjectMapper())
                .list(clusters, columns);
        assertThat(again.toString()).isEqualTo(json);
    }

    @Test
    void yamlOfOneObject() {
        printer(OutputFormat.YAML).object(clusters.get(0), columns);

        assertThat(out.toString()).isEqualTo("""
                name: store
                phase: Running
                version: v1.36.3
                labels:
                  site: hamburg
                  zone: b
                createdAt: 2026-01-01T11:55:00Z
                """);
    }

    @Test
    void anEmptyListSaysSoOnStderrAndPrintsNothing() {
        printer(OutputFormat.TABLE).list(List.of(), columns);

        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).isEqualTo("No resources found.\n");
    }

    @Test
    void anEmptyListIsStillJson() {
        printer(OutputFormat.JSON).list(List.of(), columns);

        assertThat(out.toString()).isEqualTo("{\n  \"items\" : [ ]\n}\n");
    }

    @Test
    void aWatchPrintsTheHeaderOnceThenARowPerChange() {
        Printer printer = printer(OutputFormat.TABLE);
        printer.change(clusters.get(1), columns);
        printer.change(new Cluster("warehouse-eu", "Running", "v1.36.3", Map.of(), "2025-12-29T12:00:00Z"), columns);

        assertThat(out.toString()).isEqualTo("""
                NAME           PHASE          AGE
                warehouse-eu   Creating       3d
                warehouse-eu   Running        3d
                """);
    }

    @Test
    void aJsonWatchIsOneObjectPerLine() {
        Printer printer = printer(OutputFormat.JSON);
        printer.change(clusters.get(1), columns);
        printer.change(clusters.get(0), columns);

        assertThat(out.toString().lines()).hasSize(2).allMatch(line -> line.startsWith("{\"name\":"));
    }

    @Test
    void progressIsSilentOffATerminal() {
        Progress progress = new Progress(new PrintWriter(err), false);
        progress.show("phase Creating");
        progress.done("phase Running");
        assertThat(err.toString()).isEmpty();

        Progress onTerminal = new Progress(new PrintWriter(err), true);
        onTerminal.show("phase Creating");
        onTerminal.done("phase Running");
        assertThat(err.toString()).contains("phase Creating").endsWith("\r  phase Running \n");
    }
}
