package dev.drover.module;

/** A script for the host's shell and the bytes to feed its stdin (null for none). */
public record ShellCommand(String script, byte[] stdin) {
    public static ShellCommand of(String script) {
        return new ShellCommand(script, null);
    }
}
