package io.edgeplane.seedmanager.cluster.controlplane.flags;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A component command line under construction: each flag at most once, rendered as
 * {@code --name=value} sorted by name, so equal inputs give byte-equal command lines (and stable
 * golden files and pod templates, which roll only when a flag really changes).
 */
final class FlagSet {
    private final Map<String, String> flags = new TreeMap<>();

    FlagSet set(String name, Object value) {
        if (value == null) {
            throw new IllegalArgumentException("flag --" + name + " has no value");
        }
        if (flags.putIfAbsent(name, value.toString()) != null) {
            throw new IllegalStateException("flag --" + name + " set twice");
        }
        return this;
    }

    FlagSet set(String name, List<String> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("flag --" + name + " has no value");
        }
        return set(name, String.join(",", values));
    }

    List<String> render() {
        return flags.entrySet().stream().map(flag -> "--" + flag.getKey() + "=" + flag.getValue()).toList();
    }
}
