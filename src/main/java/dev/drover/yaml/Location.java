package dev.drover.yaml;

/** A place in a file, 1-based, as people and editors count lines and columns. */
public record Location(String file, int line, int column) {

    public static Location of(String file) {
        return new Location(file, 0, 0);
    }

    @Override
    public String toString() {
        if (line <= 0) {
            return file;
        }
        return file + ":" + line + ":" + column;
    }
}
