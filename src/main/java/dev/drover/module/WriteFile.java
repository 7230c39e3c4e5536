package dev.drover.module;

import dev.drover.connection.ShellQuote;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Writes {@code content} to {@code path} atomically: a temp file in the same directory, content,
 * attributes, fsync, then rename over the target. An existing file's mode and owner carry over
 * unless given.
 *
 * @param mode  normalised mode (see {@link Modes}), or null
 * @param owner user name, or null
 * @param group group name, or null
 */
public record WriteFile(String path, byte[] content, String mode, String owner, String group) implements Change {

    @Override
    public String describe() {
        return "write " + path;
    }

    @Override
    public ShellCommand command() {
        String p = ShellQuote.quote(path);
        StringBuilder s = new StringBuilder();
        s.append("set -e; t=$(mktemp ").append(ShellQuote.quote(path + ".drover.XXXXXX")).append("); ")
         .append("trap 'rm -f \"$t\"' EXIT; cat > \"$t\"; ")
         .append("if [ -e ").append(p).append(" ]; then chmod --reference=").append(p).append(" \"$t\"; ")
         .append("chown --reference=").append(p).append(" \"$t\" 2>/dev/null || true; ")
         .append("else chmod \"$(printf '%o' $((0666 & ~$(umask))))\" \"$t\"; fi; ");
        if (mode != null) {
            s.append("chmod ").append(ShellQuote.quote(mode)).append(" \"$t\"; ");
        }
        if (owner != null) {
            s.append("chown ").append(ShellQuote.quote(owner)).append(" \"$t\"; ");
        }
        if (group != null) {
            s.append("chgrp ").append(ShellQuote.quote(group)).append(" \"$t\"; ");
        }
        s.append("sync \"$t\" 2>/dev/null || true; mv -f \"$t\" ").append(p).append("; trap - EXIT");
        return new ShellCommand(s.toString(), content);
    }

    @Override
    public void simulate(SimulatedState state, String user) {
        FileState before = state.file(path).orElse(null);
        String baseMode = before != null && before.exists() ? before.mode() : "0644";
        FileState after = new FileState(path, FileState.Kind.FILE,
                Modes.apply(mode, baseMode, false),
                owner != null ? owner : before != null && before.exists() ? before.owner() : user,
                group != null ? group : before != null && before.exists() ? before.group() : user,
                content.length, sha1(content), null);
        state.putFile(after, content);
    }

    /** Hex SHA-1 of bytes, as Ansible's {@code checksum} return value. */
    public static String sha1(byte[] data) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
