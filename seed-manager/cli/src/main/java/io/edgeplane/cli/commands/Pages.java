package io.edgeplane.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeplane.cli.Cli;
import io.edgeplane.cli.api.ApiException;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a paginated list to its end (or to {@code limit} items), following the API's cursors. Pages are read as
 * the JSON the API sent ({@code items}, {@code nextCursor}), so commands do not depend on generated page class names.
 */
final class Pages {

    private static final int PAGE = 500;

    private Pages() {
    }

    interface Fetch {
        Object page(Integer limit, String cursor) throws ApiException;
    }

    static List<JsonNode> all(Cli cli, Integer limit, Fetch fetch) {
        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        do {
            int want = limit == null ? PAGE : Math.min(PAGE, limit - all.size());
            String at = cursor;
            JsonNode page = cli.printer().tree(cli.call(() -> fetch.page(want, at)));
            page.path("items").forEach(all::add);
            cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
        } while (cursor != null && (limit == null || all.size() < limit));
        return all;
    }
}
