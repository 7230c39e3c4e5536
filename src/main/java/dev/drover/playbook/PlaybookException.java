package dev.drover.playbook;

import dev.drover.yaml.Location;

/** A playbook that cannot be loaded: one problem, where it is, and what to do. */
public class PlaybookException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Location location;

    public PlaybookException(Location location, String message) {
        super(message);
        this.location = location;
    }

    public Location location() {
        return location;
    }

    /** {@code file:line:column: message}. */
    public String describe() {
        return location == null ? getMessage() : location + ": " + getMessage();
    }
}
