package io.edgeplane.seedmanager.machine;

import io.edgeplane.seedmanager.persistence.JsonColumns;
import io.micronaut.core.type.Argument;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;

/** The JSON columns of a MachineDeployment, read and written in one place. */
@Singleton
public class MachineJson {
    private final JsonColumns columns;

    public MachineJson(JsonColumns columns) {
        this.columns = columns;
    }

    public Map<String, String> labels(MachineDeployment machine) {
        return read(machine.labels(), Argument.mapOf(String.class, String.class));
    }

    public List<MachineDeploymentView.TaintView> taints(MachineDeployment machine) {
        return read(machine.taints(), Argument.listOf(MachineDeploymentView.TaintView.class));
    }

    public MachineSsh ssh(MachineDeployment machine) {
        return machine.ssh() == null ? null : read(machine.ssh(), Argument.of(MachineSsh.class));
    }

    public MachineStatus status(MachineDeployment machine) {
        return machine.status() == null || machine.status().equals("{}") ? MachineStatus.empty()
                : read(machine.status(), Argument.of(MachineStatus.class));
    }

    public String write(Object value) {
        return columns.write(value);
    }

    public <T> T read(String text, Argument<T> type) {
        return columns.read(text, type);
    }
}
