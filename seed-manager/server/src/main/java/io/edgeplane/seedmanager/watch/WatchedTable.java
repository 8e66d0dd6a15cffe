package io.edgeplane.seedmanager.watch;

/** The tables a watch follows, with the column that scopes a watch (what a caller may see) and the list order. */
public enum WatchedTable {
    CLUSTERS("clusters", "project"),
    MACHINE_DEPLOYMENTS("machine_deployments", "cluster_id"),
    WORKLOADS("workloads", "cluster_id");

    private final String table;
    private final String scopeColumn;

    WatchedTable(String table, String scopeColumn) {
        this.table = table;
        this.scopeColumn = scopeColumn;
    }

    /** The SQL table name, also the {@code kind} of its rows in the change feed. */
    public String table() {
        return table;
    }

    String scopeColumn() {
        return scopeColumn;
    }

    /** The key watchers of one scope are woken by, as the sequencer notifies it: {@code clusters:<project>}. */
    String key(String scope) {
        return table + ":" + scope;
    }
}
