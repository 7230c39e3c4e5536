package dev.drover.modules.files;

import dev.drover.module.ModuleException;
import dev.drover.module.WriteFile;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The members of an archive on the controller (tar, tar.gz, tar.xz, tar.bz2, tar.zst, zip):
 * what unarchive compares with the destination. gzip and zip are read with the JDK; xz, bzip2 and
 * zstd through the controller's own decompressor ({@code xz -dc}, …).
 */
final class ArchiveMembers {
    /** One member: name as listed, kind (f, d, l, h), size, mode, SHA-1 and content of a file, link target. */
    record Member(String name, char kind, long size, int mode, String sha1, byte[] content, String target) {
        /** The path below dest: no leading ./ or /, no trailing /. */
        String path() {
            String p = name;
            while (p.startsWith("./")) {
                p = p.substring(2);
            }
            while (p.startsWith("/")) {
                p = p.substring(1);
            }
            while (p.endsWith("/")) {
                p = p.substring(0, p.length() - 1);
            }
            return p;
        }
    }

    /** Members whose content is kept for the simulation (check mode): up to this size each. */
    static final int KEEP_CONTENT = 64 * 1024;

    private ArchiveMembers() {
    }

    /** The handler Ansible would pick, by content (magic bytes) as its handlers probe. */
    static String handler(byte[] head) {
        if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            return "ZipArchive";
        }
        if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return "TgzArchive";
        }
        if (head.length >= 6 && (head[0] & 0xff) == 0xfd && head[1] == '7' && head[2] == 'z' && head[3] == 'X') {
            return "TarXzArchive";
        }
        if (head.length >= 3 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h') {
            return "TarBzipArchive";
        }
        if (head.length >= 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5 && (head[2] & 0xff) == 0x2f
                && (head[3] & 0xff) == 0xfd) {
            return "TarZstdArchive";
        }
        if (head.length >= 263 && new String(head, 257, 5, StandardCharsets.ISO_8859_1).equals("ustar")) {
            return "TarArchive";
        }
        return null;
    }

    static List<Member> read(Path archive, String handler) throws ModuleException {
        try {
            return switch (handler) {
                case "ZipArchive" -> zip(archive);
                case "TgzArchive" -> {
                    try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(archive)))) {
                        yield tar(in);
                    }
                }
                case "TarArchive" -> {
                    try (InputStream in = new BufferedInputStream(Files.newInputStream(archive))) {
                        yield tar(in);
                    }
                }
                default -> external(archive, switch (handler) {
                    case "TarXzArchive" -> "xz";
                    case "TarBzipArchive" -> "bzip2";
                    default -> "zstd";
                });
            };
        } catch (IOException e) {
            throw new ModuleException("cannot read the archive " + archive + ": " + e.getMessage());
        }
    }

    private static List<Member> external(Path archive, String tool) throws IOException, ModuleException {
        Process p = new ProcessBuilder(tool, "-dc", archive.toString()).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        List<Member> out;
        try (InputStream in = new BufferedInputStream(p.getInputStream())) {
            out = tar(in);
        }
        try {
            if (p.waitFor() != 0) {
                throw new ModuleException(tool + " could not decompress " + archive + " on the controller");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModuleException("interrupted");
        }
        return out;
    }

    private static List<Member> zip(Path archive) throws IOException {
        List<Member> out = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new BufferedInputStream(Files.newInputStream(archive)))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (e.isDirectory()) {
                    out.add(new Member(e.getName(), 'd', 0, 0755, null, null, null));
                } else {
                    byte[] b = in.readAllBytes();
                    out.add(new Member(e.getName(), 'f', b.length, 0644, WriteFile.sha1(b),
                            b.length <= KEEP_CONTENT ? b : null, null));
                }
            }
        }
        return out;
    }

    /** A ustar/GNU/pax tar stream. */
    static List<Member> tar(InputStream in) throws IOException {
        List<Member> out = new ArrayList<>();
        byte[] h = new byte[512];
        String longName = null;
        String longLink = null;
        while (readFully(in, h)) {
            if (allZero(h)) {
                break;
            }
            String name = field(h, 0, 100);
            int mode = (int) octal(h, 100, 8);
            long size = octal(h, 124, 12);
            char type = (char) h[156];
            String link = field(h, 157, 100);
            if (new String(h, 257, 5, StandardCharsets.ISO_8859_1).equals("ustar")) {
                String prefix = field(h, 345, 155);
                if (!prefix.isEmpty()) {
                    name = prefix + "/" + name;
                }
            }
            byte[] data = readData(in, size);
            if (type == 'L') {
                longName = cString(data);
                continue;
            }
            if (type == 'K') {
                longLink = cString(data);
                continue;
            }
            if (type == 'x' || type == 'g') {
                for (String rec : new String(data, StandardCharsets.UTF_8).split("\n")) {
                    int sp = rec.indexOf(' ');
                    int eq = rec.indexOf('=');
                    if (sp > 0 && eq > sp) {
                        String k = rec.substring(sp + 1, eq);
                        if (k.equals("path") && type == 'x') {
                            longName = rec.substring(eq + 1);
                        } else if (k.equals("linkpath") && type == 'x') {
                            longLink = rec.substring(eq + 1);
                        }
                    }
                }
                continue;
            }
            if (longName != null) {
                name = longName;
                longName = null;
            }
            if (longLink != null) {
                link = longLink;
                longLink = null;
            }
            switch (type) {
                case '5' -> out.add(new Member(name, 'd', 0, mode, null, null, null));
                case '2' -> out.add(new Member(name, 'l', 0, mode, null, null, link));
                case '1' -> out.add(new Member(name, 'h', 0, mode, null, null, link));
                case '0', '\0', '7' -> out.add(new Member(name, 'f', data.length, mode, WriteFile.sha1(data),
                        data.length <= KEEP_CONTENT ? data : null, null));
                default -> { } // devices, fifos: not compared
            }
        }
        return out;
    }

    private static byte[] readData(InputStream in, long size) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream((int) Math.min(size, 1 << 20));
        long left = size;
        byte[] buf = new byte[8192];
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new IOException("truncated tar");
            }
            b.write(buf, 0, n);
            left -= n;
        }
        long pad = (512 - size % 512) % 512;
        in.skipNBytes(pad);
        return b.toByteArray();
    }

    private static boolean readFully(InputStream in, byte[] b) throws IOException {
        int off = 0;
        while (off < b.length) {
            int n = in.read(b, off, b.length - off);
            if (n < 0) {
                return false;
            }
            off += n;
        }
        return true;
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static String field(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) {
            end++;
        }
        return new String(h, off, end - off, StandardCharsets.UTF_8);
    }

    private static String cString(byte[] b) {
        int end = 0;
        while (end < b.length && b[end] != 0) {
            end++;
        }
        return new String(b, 0, end, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] h, int off, int len) {
        if ((h[off] & 0x80) != 0) { // GNU base-256
            long v = 0;
            for (int i = off + 1; i < off + len; i++) {
                v = (v << 8) | (h[i] & 0xff);
            }
            return v;
        }
        String s = field(h, off, len).trim();
        return s.isEmpty() ? 0 : Long.parseLong(s, 8);
    }
}
