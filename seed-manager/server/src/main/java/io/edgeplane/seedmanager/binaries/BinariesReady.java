package io.edgeplane.seedmanager.binaries;

/** A platform's binaries were prepared: whoever waited for them can go on now (published by {@link BinariesPreparations}). */
public record BinariesReady(Platform platform) {
}
