package dev.drover.daemon;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code drover daemon status|stop}, and the checks clients and daemons make on each other's sockets. */
final class DaemonControl {
    private DaemonControl() {
    }

    static int run(String[] args) {
        String what = args.length > 1 ? args[1] : "status";
        Path dir = Identity.dir(System.getenv());
        List<Path> sockets = sockets(dir);
        switch (what) {
            case "status": {
                Path mine = Identity.here().map(Identity::socket).orElse(null);
                if (sockets.isEmpty()) {
                    System.out.println("no resident drover is running (" + dir + ")");
                }
                for (Path s : sockets) {
                    String text = ask(s, Wire.STATUS);
                    System.out.print(text != null ? (s.equals(mine) ? "(serves this shell) " : "") + text
                            : "stale socket " + s + " (its daemon is gone)\n");
                }
                return 0;
            }
            case "stop": {
                int n = 0;
                for (Path s : sockets) {
                    if (ask(s, Wire.STOP) != null) {
                        n++;
                    } else {
                        try {
                            Files.deleteIfExists(s);
                        } catch (IOException e) {
                            // left for the next daemon
                        }
                    }
                }
                System.out.println(n == 0 ? "no resident drover was running" : "stopped " + n + " resident drover" + (n > 1 ? "s" : ""));
                return 0;
            }
            default:
                System.err.println("ERROR! drover daemon: status or stop, not '" + what + "'");
                return 5;
        }
    }

    /** Whether a daemon answers on {@code socket}. */
    static boolean alive(Path socket) {
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Asks the other daemons of this user (their identities differ) to end: one resident drover per user. */
    static void stopOthers(Identity id) {
        for (Path s : sockets(id.dir())) {
            if (!s.equals(id.socket())) {
                ask(s, Wire.STOP);
            }
        }
    }

    /** Sends a one-frame request; returns the text of the stdout frames, or null when no daemon answered. */
    private static String ask(Path socket, byte type) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            DataOutputStream out = new DataOutputStream(Wire.output(ch));
            DataInputStream in = new DataInputStream(Wire.input(ch));
            Wire.write(out, type, new byte[0]);
            StringBuilder text = new StringBuilder();
            for (Wire.Frame f = Wire.read(in); f != null; f = Wire.read(in)) {
                if (f.type() == Wire.STDOUT) {
                    text.append(f.text());
                } else if (f.type() == Wire.EXIT) {
                    break;
                }
            }
            return text.toString();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static List<Path> sockets(Path dir) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.sock")) {
            ds.forEach(out::add);
        } catch (IOException e) {
            // none readable
        }
        out.sort(null);
        return out;
    }
}
