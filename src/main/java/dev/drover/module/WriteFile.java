package dev.drover.module;

import dev.drover.connection.ShellQuote;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes {@code content} to {@code path} atomically: a new temp file beside it (created
 * exclusively, under a random name), content, attributes, then a rename over the target. An
 * existing file's mode and owner carry over unless given.
 *
 * <p>The script costs one process ({@code mv}) in the usual case: small content is written by the
 * shell's own {@code printf}, the mode is set by the {@code umask} the file is created under, and
 * the owner is only copied from the replaced file when {@code test -O/-G} says it differs. Large
 * content comes on stdin; modes with execute or special bits, and explicit owners, cost a
 * {@code chmod}/{@code chown} each.
 *
 * @param mode     normalised mode (see {@link Modes}), or null
 * @param owner    user name, or null
 * @param group    group name, or null
 * @param replaces the state of {@code path} when the plan was made (absent for a new file), or
 *                 null when unknown: the attributes to keep are then read on the host
 */
public record WriteFile(String path, byte[] content, String mode, String owner, String group, FileState replaces)
        implements Change {

    /** Content up to this size travels inside the script (as printf escapes), bigger on stdin. */
    static final int INLINE_LIMIT = 32 * 1024;

    public WriteFile(String path, byte[] content, String mode, String owner, String group) {
        this(path, content, mode, owner, group, null);
    }

    @Override
    public String describe() {
        return "write " + path;
    }

    @Override
    public ShellCommand command() {
        String p = ShellQuote.quote(path);
        boolean existed = replaces != null && replaces.exists();
        String octal = targetMode(existed);
        StringBuilder s = new StringBuilder("set -e; t=")
                .append(ShellQuote.quote(path + ".drover." + randomSuffix()))
                .append("; trap 'rm -f \"$t\"' EXIT; ");
        boolean umaskSets = octal != null && (Integer.parseInt(octal, 8) & ~0666) == 0;
        if (umaskSets) {
            s.append("umask ").append(Modes.octal(0777 & ~Integer.parseInt(octal, 8))).append("; ");
        }
        boolean inline = content.length <= INLINE_LIMIT;
        s.append("set -C; ");
        if (inline) {
            s.append("printf ").append(ShellQuote.quote(printfFormat(content))).append(" > \"$t\"; ");
        } else {
            s.append("cat > \"$t\"; ");
        }
        s.append("set +C; ");
        if (replaces == null) {
            // unknown target: keep an existing file's mode
            s.append("if [ -e ").append(p).append(" ]; then chmod --reference=").append(p).append(" \"$t\"; fi; ");
        }
        if (octal != null && !umaskSets) {
            s.append("chmod ").append(octal).append(" \"$t\"; ");
        } else if (octal == null && mode != null) {
            s.append("chmod ").append(ShellQuote.quote(mode)).append(" \"$t\"; "); // symbolic, on the new mode
        }
        if ((owner == null || group == null) && (existed || replaces == null)) {
            s.append("if [ -e ").append(p).append(" ] && ! { [ -O ").append(p).append(" ] && [ -G ").append(p)
                    .append(" ]; }; then chown --reference=").append(p).append(" \"$t\" 2>/dev/null || true; fi; ");
        }
        if (owner != null) {
            s.append("chown ").append(ShellQuote.quote(owner)).append(" \"$t\"; ");
        }
        if (group != null) {
            s.append("chgrp ").append(ShellQuote.quote(group)).append(" \"$t\"; ");
        }
        s.append("mv -f \"$t\" ").append(p).append("; trap - EXIT");
        return new ShellCommand(s.toString(), inline ? null : content);
    }

    /**
     * The octal mode the file must end with when known here: the given mode (symbolic ones
     * applied to the replaced file's), else the replaced file's; null when the host decides (a
     * new file without a mode gets its umask's, an unknown target is read on the host).
     */
    private String targetMode(boolean existed) {
        if (mode != null) {
            if (mode.matches("[0-7]{4}")) {
                return mode;
            }
            return existed ? Modes.apply(mode, replaces.mode(), false) : null;
        }
        return existed ? replaces.mode() : null;
    }

    /** A printf format that prints exactly {@code bytes}: printable ASCII as is, the rest as octal escapes. */
    static String printfFormat(byte[] bytes) {
        StringBuilder f = new StringBuilder(bytes.length + 16);
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c == '%') {
                f.append("%%");
            } else if (c == '\\') {
                f.append("\\\\");
            } else if (c == '\n') {
                f.append("\\n");
            } else if (c >= 0x20 && c < 0x7f) {
                f.append((char) c);
            } else {
                f.append('\\').append((char) ('0' + (c >> 6))).append((char) ('0' + ((c >> 3) & 7)))
                        .append((char) ('0' + (c & 7)));
            }
        }
        return f.toString();
    }

    private static String randomSuffix() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
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
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Hex SHA-256 of {@code data} (the plan's read digests, podman's content hashes). */
    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
