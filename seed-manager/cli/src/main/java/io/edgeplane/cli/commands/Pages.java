package io.edgeplane.cli.commands;

import io.edgeplane.cli.Cli;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Reads a paginated list to its end (or to {@code limit} items), following the API's cursors. */
final class Pages {

    private static final int PAGE = 500;

    private Pages() {
    }

    interface Fetch<P> {
        P page(Integer limit, String cursor) throws io.edgeplane.cli.api.ApiException;
    }

    static <P, T> List<T> all(Cli cli, Integer limit, Fetch<P> fetch, Function<P, List<T>> items, Function<P, String> next) {
        List<T> all = new ArrayList<>();
        String cursor = null;
        do {
            int want = limit == null ? PAGE : Math.min(PAGE, limit - all.size());
            String at = cursor;
            P page = cli.call(() -> fetch.page(want, at));
            List<T> got = items.apply(page);
            if (got != null) {
                all.addAll(got);
            }
            cursor = next.apply(page);
        } while (cursor != null && (limit == null || all.size() < limit));
        return all;
    }
}
