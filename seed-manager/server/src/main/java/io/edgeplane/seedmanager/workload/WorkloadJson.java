package io.edgeplane.seedmanager.workload;

import io.edgeplane.seedmanager.persistence.JsonColumns;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import jakarta.inject.Singleton;

import java.util.List;

/** The JSON columns of a workload (its specs and status), read and written in one place. */
@Singleton
public class WorkloadJson {
    private final JsonColumns columns;

    public WorkloadJson(JsonColumns columns) {
        this.columns = columns;
    }

    public @Nullable WorkloadSpec spec(@Nullable String text) {
        return text == null ? null : read(text, Argument.of(WorkloadSpec.class));
    }

    /** The status, with absent lists read as empty ones. */
    public WorkloadStatus status(Workload workload) {
        String text = workload.status();
        if (text == null || text.isBlank() || text.equals("{}")) {
            return WorkloadStatus.empty();
        }
        WorkloadStatus s = read(text, Argument.of(WorkloadStatus.class));
        return new WorkloadStatus(s.message(), s.warnings() == null ? List.of() : s.warnings(), s.lastSeen(),
                s.nodes() == null ? List.of() : s.nodes(), s.staged(), s.deviceActions() == null ? List.of() : s.deviceActions());
    }

    public String write(Object value) {
        return columns.write(value);
    }

    public <T> T read(String text, Argument<T> type) {
        return columns.read(text, type);
    }
}
