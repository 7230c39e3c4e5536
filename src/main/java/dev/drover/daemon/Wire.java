package dev.drover.daemon;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * The frames between a drover client process and the resident drover, over a Unix socket: one
 * type byte, a length, the payload. Client to daemon: the request ({@link #REQUEST}), answers to
 * prompts, Ctrl-C. Daemon to client: stdout and stderr bytes, prompts, the exit code, or a refusal
 * (the client then runs the command line itself).
 */
final class Wire {
    /** Bumped when a frame changes: a daemon of another version refuses the request. */
    static final int VERSION = 1;

    static final byte REQUEST = 'Q';
    static final byte ANSWER = 'A';
    static final byte INTERRUPT = 'I';
    static final byte STDOUT = 'O';
    static final byte STDERR = 'E';
    /** Payload: kind byte ({@link #SECRET}, {@link #TERMINAL}, {@link #TERMINAL_HIDDEN}) + prompt text. */
    static final byte PROMPT = 'P';
    static final byte EXIT = 'X';
    static final byte REFUSED = 'R';
    /** drover daemon stop: the daemon ends (after the run it is serving, if any). */
    static final byte STOP = 'S';
    /** drover daemon status: one stdout frame describing the daemon, then the exit code. */
    static final byte STATUS = 'T';

    static final byte SECRET = 0;
    static final byte TERMINAL = 1;
    static final byte TERMINAL_HIDDEN = 2;

    private Wire() {
    }

    /**
     * A stream reading the socket. Not {@code Channels.newInputStream}: on JDK 17 its streams of
     * a blocking channel take the channel's blocking lock for every read and write, so a thread
     * blocked reading (waiting for Ctrl-C) would stall the thread writing output.
     */
    static InputStream input(SocketChannel ch) {
        return new InputStream() {
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
                return ch.read(ByteBuffer.wrap(b, off, len));
            }
        };
    }

    /** A stream writing to the socket; see {@link #input} for why not {@code Channels}. */
    static OutputStream output(SocketChannel ch) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer buf = ByteBuffer.wrap(b, off, len);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
        };
    }

    record Frame(byte type, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    /** Writes one frame (callers on several threads share {@code out}: whole frames, under its lock). */
    static void write(DataOutputStream out, byte type, byte[] payload, int off, int len) throws IOException {
        synchronized (out) {
            out.writeByte(type);
            out.writeInt(len);
            out.write(payload, off, len);
            out.flush();
        }
    }

    static void write(DataOutputStream out, byte type, byte[] payload) throws IOException {
        write(out, type, payload, 0, payload.length);
    }

    static void write(DataOutputStream out, byte type, String text) throws IOException {
        write(out, type, text.getBytes(StandardCharsets.UTF_8));
    }

    /** The next frame, or null at the end of the stream. */
    static Frame read(DataInputStream in) throws IOException {
        int type = in.read();
        if (type < 0) {
            return null;
        }
        int len = in.readInt();
        if (len < 0 || len > 64 << 20) {
            throw new IOException("bad frame length " + len);
        }
        byte[] b = new byte[len];
        in.readFully(b);
        return new Frame((byte) type, b);
    }

    static int exitCode(byte[] payload) {
        return ((payload[0] & 0xff) << 24) | ((payload[1] & 0xff) << 16) | ((payload[2] & 0xff) << 8) | (payload[3] & 0xff);
    }

    static byte[] exitPayload(int code) {
        return new byte[] {(byte) (code >>> 24), (byte) (code >>> 16), (byte) (code >>> 8), (byte) code};
    }
}
