package dev.drover.yaml;

/** A YAML file that does not parse, with where. */
public class YamlException extends Exception {
    private static final long serialVersionUID = 1L;
    private final Location location;

    public YamlException(Location location, String message) {
        super(message);
        this.location = location;
    }

    public Location location() {
        return location;
    }

    @Override
    public String toString() {
        return location + ": " + getMessage();
    }
}
