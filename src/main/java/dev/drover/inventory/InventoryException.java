package dev.drover.inventory;

import dev.drover.yaml.Location;

/** An inventory that cannot be read, or a host pattern that is wrong, with where. */
public class InventoryException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Location location;

    public InventoryException(Location location, String message) {
        super(message);
        this.location = location;
    }

    public Location location() {
        return location;
    }
}
