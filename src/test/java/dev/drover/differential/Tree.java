package dev.drover.differential;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Everything under a root directory, as comparable text: one entry per file, directory and link
 * (relative path, kind, mode, owner:group, and the content or link target). Backup file names
 * ({@code name.PID.YYYY-MM-DD@HH:MM:SS~}) are normalised to {@code name.BACKUP~}, as their PID and
 * time differ from run to run. Modification times are not compared.
 */
final class Tree {
    private static final Pattern BACKUP = Pattern.compile("\\.\\d+\\.\\d{4}-\\d{2}-\\d{2}@\\d{2}:\\d{2}:\\d{2}~$");

    private Tree() {
    }

    /** The snapshot of {@code root} (sorted entries, one per line), or "(absent)" when it does not exist. */
    static String snapshot(Path root) {
        return snapshot(root, root.toString());
    }

    /** As {@link #snapshot(Path)}, with {@code rootText} in link targets and contents shown as {@code <root>}. */
    static String snapshot(Path root, String rootText) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return "(absent)";
        }
        List<String> entries = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                entries.add(entry(root, p).replace(rootText, "<root>"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        entries.sort(Comparator.naturalOrder());
        return String.join("\n", entries) + "\n";
    }

    private static String entry(Path root, Path p) throws IOException {
        String rel = root.relativize(p).toString();
        rel = BACKUP.matcher(rel.isEmpty() ? "." : rel).replaceAll(".BACKUP~");
        PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
        String owner = a.owner().getName() + ":" + a.group().getName();
        if (a.isSymbolicLink()) {
            return rel + " link " + owner + " -> " + Files.readSymbolicLink(p);
        }
        String head = rel + (a.isDirectory() ? " dir " : a.isRegularFile() ? " file " : " other ")
                + String.format("%04o", mode) + " " + owner;
        if (!a.isRegularFile()) {
            return head;
        }
        return head + " " + content(Files.readAllBytes(p));
    }

    private static String content(byte[] bytes) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            return "text " + quote(text);
        } catch (CharacterCodingException e) {
            return "bytes " + Base64.getEncoder().encodeToString(bytes);
        }
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** Removes a tree (best effort, links not followed). */
    static void delete(Path root) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
