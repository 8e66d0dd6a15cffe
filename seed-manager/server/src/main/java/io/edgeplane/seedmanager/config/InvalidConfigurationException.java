package io.edgeplane.seedmanager.config;

/**
 * A setting the seed manager cannot run with. The message names the environment variable (and so
 * the property) and says what is accepted; the service refuses to start with it.
 */
public class InvalidConfigurationException extends RuntimeException {
    public InvalidConfigurationException(String message) {
        super(message);
    }
}
