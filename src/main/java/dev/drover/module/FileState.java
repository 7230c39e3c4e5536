package dev.drover.module;

/**
 * What a path is on a host (lstat: a link is reported as a link, not followed).
 *
 * @param mode       four octal digits ("0644"), null when absent
 * @param sha1       hex SHA-1 of a regular file's content (Ansible's "checksum"), null otherwise
 * @param linkTarget what a symlink points to, null otherwise
 */
public record FileState(String path, Kind kind, String mode, String owner, String group, long size,
                        String sha1, String linkTarget) {

    public enum Kind {
        ABSENT, FILE, DIRECTORY, LINK, OTHER;

        /** The name Ansible's file module returns as {@code state}. */
        public String ansibleName() {
            return switch (this) {
                case ABSENT -> "absent";
                case FILE -> "file";
                case DIRECTORY -> "directory";
                case LINK -> "link";
                case OTHER -> "file";
            };
        }
    }

    public static FileState absent(String path) {
        return new FileState(path, Kind.ABSENT, null, null, null, 0, null, null);
    }

    public boolean exists() {
        return kind != Kind.ABSENT;
    }

    public boolean isFile() {
        return kind == Kind.FILE;
    }

    public boolean isDirectory() {
        return kind == Kind.DIRECTORY;
    }

    public boolean isLink() {
        return kind == Kind.LINK;
    }

    public FileState withAttributes(String newMode, String newOwner, String newGroup) {
        return new FileState(path, kind, newMode == null ? mode : newMode,
                newOwner == null ? owner : newOwner, newGroup == null ? group : newGroup, size, sha1, linkTarget);
    }
}
