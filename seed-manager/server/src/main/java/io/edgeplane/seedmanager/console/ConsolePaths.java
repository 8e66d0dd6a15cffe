package io.edgeplane.seedmanager.console;

/** Where the web console lives: its files from the edgeplane-console jar, under one path of the API's origin. */
final class ConsolePaths {
    static final String ROOT = "/console/";
    static final String PATTERN = "/console/**";
    /** Vite's content-hashed bundles: cacheable, since a new build has new names. */
    static final String ASSETS = "/console/assets/";

    private ConsolePaths() {
    }
}
