package io.edgeplane.seedmanager.watch;

/**
 * Route conditions that send {@code GET <list>?watch=true} to a watch route and every other GET of the same
 * path to the list: a list method carries {@link #NOT_WATCHING}, its watch route {@link #WATCHING}.
 */
public final class WatchRoutes {
    public static final String WATCHING = "#{request.parameters.get('watch') == 'true'}";
    public static final String NOT_WATCHING = "#{request.parameters.get('watch') != 'true'}";

    private WatchRoutes() {
    }
}
