package io.edgeplane.cli;

import picocli.CommandLine;

/** The version the build wrote into the jar's manifest. */
public final class VersionProvider implements CommandLine.IVersionProvider {

    static String version() {
        String version = Edgeplane.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    @Override
    public String[] getVersion() {
        return new String[]{"edgeplane " + version()};
    }
}
