package dev.drover.connection;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;

/**
 * What an SSH channel receives, kept for its reader: JSch's session thread writes into it, any
 * thread reads. In place of JSch's {@code getInputStream()}, a {@link java.io.PipedInputStream},
 * which refuses data once the thread that last read it has ended ("Read end dead"): a shell kept
 * between runs is read by the next run's threads. Unbounded, so the session thread (shared by all
 * the channels of a session) never waits for a reader; the shell's reader keeps the whole output
 * anyway. Closing it (JSch does at the channel's end of data) ends the input after what is left.
 */
final class ChannelBuffer extends OutputStream {
    private byte[] buf = new byte[8192];
    private int head;
    private int tail;
    private boolean closed;

    private final InputStream input = new InputStream() {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            synchronized (ChannelBuffer.this) {
                while (head == tail && !closed) {
                    try {
                        ChannelBuffer.this.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while reading the channel");
                    }
                }
                if (head == tail) {
                    return -1;
                }
                int n = Math.min(len, tail - head);
                System.arraycopy(buf, head, b, off, n);
                head += n;
                if (head == tail) {
                    head = 0;
                    tail = 0;
                }
                return n;
            }
        }

        @Override
        public int available() {
            synchronized (ChannelBuffer.this) {
                return tail - head;
            }
        }
    };

    /** The bytes written so far and those to come; -1 once closed and read. */
    InputStream input() {
        return input;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("channel input closed");
        }
        if (tail + len > buf.length) {
            int live = tail - head;
            if (live + len <= buf.length && head > 0) {
                System.arraycopy(buf, head, buf, 0, live); // room at the front
            } else {
                byte[] grown = new byte[Math.max(buf.length * 2, live + len)];
                System.arraycopy(buf, head, grown, 0, live);
                buf = grown;
            }
            head = 0;
            tail = live;
        }
        System.arraycopy(b, off, buf, tail, len);
        tail += len;
        notifyAll();
    }

    @Override
    public synchronized void close() {
        closed = true;
        notifyAll();
    }
}
