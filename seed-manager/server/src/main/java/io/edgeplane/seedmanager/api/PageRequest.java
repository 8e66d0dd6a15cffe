package io.edgeplane.seedmanager.api;

import io.micronaut.core.annotation.Nullable;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * A cursor page request. The cursor is the opaque encoding of the last sort key the caller has seen,
 * so pages stay stable while objects are added or removed.
 */
public record PageRequest(int limit, @Nullable String after) {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 500;

    public static PageRequest of(@Nullable Integer limit, @Nullable String cursor) {
        int size = limit == null ? DEFAULT_LIMIT : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw new InvalidInputException(List.of(new FieldProblem("limit", "must be between 1 and " + MAX_LIMIT)));
        }
        String after = null;
        if (cursor != null && !cursor.isEmpty()) {
            try {
                after = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(List.of(new FieldProblem("cursor", "is not a cursor returned by this API")));
            }
        }
        return new PageRequest(size, after);
    }

    /** The cursor of a list sorted by a descending numeric id; {@code Long.MAX_VALUE} on the first page. */
    public long beforeId() {
        if (after == null) {
            return Long.MAX_VALUE;
        }
        try {
            return Long.parseLong(after);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(List.of(new FieldProblem("cursor", "is not a cursor returned by this API")));
        }
    }

    /**
     * Cuts one page from rows fetched with {@code limit + 1}, so the extra row tells whether a next page exists.
     */
    public <T> Page<T> page(List<T> rowsPlusOne, Function<T, String> sortKey) {
        if (rowsPlusOne.size() <= limit) {
            return new Page<>(rowsPlusOne, null);
        }
        List<T> items = rowsPlusOne.subList(0, limit);
        String last = sortKey.apply(items.get(items.size() - 1));
        return new Page<>(List.copyOf(items), Base64.getUrlEncoder().withoutPadding().encodeToString(last.getBytes(StandardCharsets.UTF_8)));
    }

    public int fetchSize() {
        return limit + 1;
    }
}
