package dev.drover.connection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The channel's received bytes: read by any thread, whole, in order, then the end. */
class ChannelBufferTest {

    @Test
    void aReaderAfterAnEndedReaderGetsWhatCameInBetween() throws Exception {
        ChannelBuffer b = new ChannelBuffer();
        InputStream in = b.input();
        b.write("one".getBytes());
        byte[] first = new byte[3];
        Thread reader = new Thread(() -> {
            try {
                assertEquals(3, in.readNBytes(first, 0, 3));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        reader.start();
        reader.join();
        assertArrayEquals("one".getBytes(), first);
        // java.io.PipedInputStream throws "Read end dead" here: the thread that last read has ended
        b.write("two".getBytes());
        assertArrayEquals("two".getBytes(), in.readNBytes(3));
    }

    @Test
    void bytesComeWholeAndInOrderAcrossGrowthThenTheEnd() throws Exception {
        ChannelBuffer b = new ChannelBuffer();
        byte[] data = new byte[100_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        Thread writer = new Thread(() -> {
            try {
                for (int off = 0; off < data.length; off += 7_000) {
                    b.write(data, off, Math.min(7_000, data.length - off));
                }
                b.close();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        writer.start();
        byte[] got = b.input().readAllBytes(); // up to the close
        writer.join();
        assertEquals(data.length, got.length);
        assertArrayEquals(data, Arrays.copyOf(got, got.length));
        assertEquals(-1, b.input().read());
    }
}
