package io.edgeplane.e2e.fleet;

import java.util.Map;
import java.util.TreeMap;

/** What a step added to PostgreSQL, per device: rows and bytes in total and by table. */
record TableCosts(double rowsPerDevice, double bytesPerDevice, Map<String, double[]> byTable) {
    static TableCosts of(Map<String, long[]> before, Map<String, long[]> after, int devices) {
        Map<String, double[]> byTable = new TreeMap<>();
        double rows = 0;
        double bytes = 0;
        for (Map.Entry<String, long[]> table : after.entrySet()) {
            long[] was = before.getOrDefault(table.getKey(), new long[]{0, 0});
            double r = (table.getValue()[0] - was[0]) / (double) devices;
            double b = (table.getValue()[1] - was[1]) / (double) devices;
            if (r != 0 || b != 0) {
                byTable.put(table.getKey(), new double[]{r, b});
            }
            rows += r;
            bytes += b;
        }
        return new TableCosts(rows, bytes, byTable);
    }
}
