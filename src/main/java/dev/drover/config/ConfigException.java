package dev.drover.config;

/**
 * A configuration file or {@code ANSIBLE_*} variable drover cannot use: the message names the
 * file, section, key and line (or the variable), as a person needs to fix it.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
