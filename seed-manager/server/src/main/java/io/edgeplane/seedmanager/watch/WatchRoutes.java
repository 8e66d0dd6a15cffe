package io.edgeplane.seedmanager.watch;

/**
 * Route conditions that send {@code GET <list>?watch=...} to a watch route and a GET without watch or with watch=false of the same
 * path to the list: a list method carries {@link #NOT_WATCHING}, its watch route {@link #WATCHING}.
 */
public final class WatchRoutes {
    // Any watch value but false goes to the watch route, whose boolean parameter refuses what is not true (422).
    public static final String WATCHING = "#{request.parameters.get('watch') != null && request.parameters.get('watch') != 'false'}";
    public static final String NOT_WATCHING = "#{request.parameters.get('watch') == null || request.parameters.get('watch') == 'false'}";

    private WatchRoutes() {
    }
}
