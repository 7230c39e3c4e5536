package dev.drover.connection;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a shell's stdout as the protocol frames it: lines, and byte runs that end at a delimiter
 * (a newline and the shell's random marker). Keeps its own buffer, so bytes read past one frame
 * stay for the next, and scans each byte once.
 */
final class FrameReader {
    private final InputStream in;
    private byte[] buf = new byte[1 << 16];
    private int start;
    private int end;

    FrameReader(InputStream in) {
        this.in = in;
    }

    /**
     * The bytes up to {@code delim}, which is consumed.
     *
     * @param limit the most bytes to return before failing (a runaway frame)
     * @throws EOFException when the stream ends first
     */
    byte[] readUntil(byte[] delim, int limit) throws IOException {
        int scanned = 0; // bytes after start known not to begin the delimiter (fill() may move start)
        while (true) {
            int at = indexOf(delim, start + scanned);
            if (at >= 0) {
                byte[] r = Arrays.copyOfRange(buf, start, at);
                start = at + delim.length;
                return r;
            }
            scanned = Math.max(0, end - start - delim.length + 1);
            if (end - start > limit) {
                throw new IOException("protocol frame longer than " + limit + " bytes");
            }
            if (fill() < 0) {
                throw new EOFException("shell output ended inside a frame (" + (end - start) + " bytes)");
            }
        }
    }

    /** One line without its newline, or null at the end of the stream (a last unterminated line is returned). */
    String readLine() throws IOException {
        int scanned = 0;
        while (true) {
            for (int i = start + scanned; i < end; i++) {
                if (buf[i] == '\n') {
                    String s = new String(buf, start, i - start, StandardCharsets.UTF_8);
                    start = i + 1;
                    return s;
                }
            }
            scanned = end - start;
            if (end - start > 1 << 16) {
                throw new IOException("protocol line too long");
            }
            if (fill() < 0) {
                if (end == start) {
                    return null;
                }
                String s = new String(buf, start, end - start, StandardCharsets.UTF_8);
                start = end;
                return s;
            }
        }
    }

    private int indexOf(byte[] delim, int from) {
        outer:
        for (int i = from; i <= end - delim.length; i++) {
            for (int j = 0; j < delim.length; j++) {
                if (buf[i + j] != delim[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Reads more input (compacting or growing the buffer first); -1 at the end of the stream. */
    private int fill() throws IOException {
        if (start > 0 && start == end) {
            start = end = 0;
        }
        if (end == buf.length) {
            if (start > buf.length / 2) {
                System.arraycopy(buf, start, buf, 0, end - start);
                end -= start;
                start = 0;
            } else {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
        }
        int n = in.read(buf, end, buf.length - end);
        if (n > 0) {
            end += n;
        }
        return n;
    }
}
