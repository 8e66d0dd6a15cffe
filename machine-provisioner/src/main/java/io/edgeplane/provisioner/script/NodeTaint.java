package io.edgeplane.provisioner.script;

import java.util.Objects;

/**
 * A taint the node registers with (kubelet {@code registerWithTaints}).
 *
 * @param key    a qualified name, e.g. {@code example.com/dedicated}
 * @param value  a label value; may be empty
 * @param effect {@code NoSchedule}, {@code PreferNoSchedule} or {@code NoExecute}
 */
public record NodeTaint(String key, String value, String effect) {
    public NodeTaint {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(effect, "effect");
        value = value == null ? "" : value;
    }

    /** As kubectl writes it: {@code key=value:Effect}. */
    @Override
    public String toString() {
        return key + "=" + value + ":" + effect;
    }
}
