package io.edgeplane.cli.output;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** kubectl's table layout: upper-case headers, left-aligned columns three spaces apart, no trailing blanks. */
final class Table {

    private static final String GAP = "   ";

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    Table(List<String> headers) {
        this.headers = headers.stream().map(h -> h.toUpperCase(Locale.ROOT)).toList();
    }

    void add(List<String> row) {
        rows.add(row.stream().map(Table::oneLine).toList());
    }

    List<String> lines(boolean withHeader) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = withHeader ? headers.get(i).length() : 0;
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        List<String> lines = new ArrayList<>();
        if (withHeader) {
            lines.add(line(headers, widths));
        }
        rows.forEach(row -> lines.add(line(row, widths)));
        return lines;
    }

    private static String line(List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            line.append(cells.get(i));
            if (i < cells.size() - 1) {
                line.append(" ".repeat(widths[i] - cells.get(i).length())).append(GAP);
            }
        }
        return line.toString().stripTrailing();
    }

    private static String oneLine(String cell) {
        return cell.replace('\n', ' ').replace('\r', ' ');
    }
}
