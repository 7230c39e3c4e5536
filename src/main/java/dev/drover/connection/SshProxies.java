package dev.drover.connection;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.jcraft.jsch.ChannelDirectTCPIP;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Proxy;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SocketFactory;

/** The two ways to reach a host through something else: a jump host's session, or a ProxyCommand. */
final class SshProxies {
    private static final Logger log = LoggerFactory.getLogger(SshProxies.class);

    private SshProxies() {
    }

    /** A jump: the target's transport is a direct-tcpip channel of the jump host's session. */
    static final class Jump implements Proxy {
        private final Session jump;
        private ChannelDirectTCPIP channel;
        private InputStream in;
        private OutputStream out;

        Jump(Session jump) {
            this.jump = jump;
        }

        @Override
        public void connect(SocketFactory factory, String host, int port, int timeout) throws Exception {
            channel = (ChannelDirectTCPIP) jump.openChannel("direct-tcpip");
            channel.setHost(host);
            channel.setPort(port);
            in = channel.getInputStream();
            out = channel.getOutputStream();
            channel.connect(timeout);
        }

        @Override
        public InputStream getInputStream() {
            return in;
        }

        @Override
        public OutputStream getOutputStream() {
            return out;
        }

        @Override
        public java.net.Socket getSocket() {
            return null;
        }

        @Override
        public void close() {
            if (channel != null) {
                channel.disconnect();
            }
        }
    }

    /**
     * ProxyCommand: the command ({@code sh -c}, as ssh runs it) carries the SSH stream on its
     * stdin/stdout; its stderr goes to the debug log, and its last lines into the error when the
     * connection fails.
     */
    static final class Command implements Proxy {
        private final String command;
        private final String where;
        private Process process;
        private final StringBuilder stderrTail = new StringBuilder();

        Command(String command, String where) {
            this.command = command;
            this.where = where;
        }

        @Override
        public void connect(SocketFactory factory, String host, int port, int timeout) throws Exception {
            log.debug("{}: ProxyCommand {}", where, command);
            try {
                process = new ProcessBuilder("/bin/sh", "-c", command).start();
            } catch (java.io.IOException e) {
                throw new JSchException("ProxyCommand '" + command + "' cannot start: " + e.getMessage(), e);
            }
            Thread t = new Thread(() -> {
                try (java.io.BufferedReader r = new java.io.BufferedReader(
                        new java.io.InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        log.debug("{}: ProxyCommand: {}", where, line);
                        synchronized (stderrTail) {
                            stderrTail.append(line).append('\n');
                            if (stderrTail.length() > 2000) {
                                stderrTail.delete(0, stderrTail.length() - 2000);
                            }
                        }
                    }
                } catch (java.io.IOException e) {
                    // the command ended
                }
            }, "drover-proxycommand");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public InputStream getInputStream() {
            return process.getInputStream();
        }

        @Override
        public OutputStream getOutputStream() {
            return process.getOutputStream();
        }

        @Override
        public java.net.Socket getSocket() {
            return null;
        }

        /** The command's last stderr lines (waits a moment for a command that just failed). */
        String said() {
            try {
                if (process != null) {
                    process.waitFor(300, java.util.concurrent.TimeUnit.MILLISECONDS);
                    Thread.sleep(50);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (stderrTail) {
                return stderrTail.toString().strip().replace('\n', ' ');
            }
        }

        @Override
        public void close() {
            if (process != null) {
                process.destroy();
            }
        }
    }
}
