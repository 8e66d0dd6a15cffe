package io.edgeplane.seedmanager.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.function.Function;

/** One page of a list; {@code nextCursor} is absent on the last page. */
@Serdeable
public record Page<T>(List<T> items, @Nullable String nextCursor) {
    public <R> Page<R> map(Function<T, R> mapper) {
        return new Page<>(items.stream().map(mapper).toList(), nextCursor);
    }
}
