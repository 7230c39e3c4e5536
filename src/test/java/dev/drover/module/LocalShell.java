package dev.drover.module;

import dev.drover.connection.CommandResult;
import dev.drover.connection.ConnectionException;
import dev.drover.connection.Shell;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Test-scope {@link Shell}: a fresh real {@code sh -c script} per command, stdin bytes fed as
 * given: the same contract as the production persistent shell (connection.ShellProtocol) for what
 * modules need, without it, so module tests do not depend on the protocol.
 */
public final class LocalShell implements Shell {

    @Override
    public CommandResult run(String script, byte[] stdin, Duration timeout) throws ConnectionException {
        try {
            Process p = new ProcessBuilder("sh", "-c", script).start();
            CompletableFuture<byte[]> out = drain(p.getInputStream());
            CompletableFuture<byte[]> err = drain(p.getErrorStream());
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin);
                }
            } catch (IOException ignored) {
                // the script did not read its stdin
            }
            if (timeout != null && !p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new ConnectionException("timeout");
            }
            int rc = p.waitFor();
            return new CommandResult(rc, out.join(), err.join());
        } catch (IOException e) {
            throw new ConnectionException("cannot run sh", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectionException("interrupted", e);
        }
    }

    private static CompletableFuture<byte[]> drain(InputStream s) {
        return CompletableFuture.supplyAsync(() -> {
            try (s; ByteArrayOutputStream b = new ByteArrayOutputStream()) {
                s.transferTo(b);
                return b.toByteArray();
            } catch (IOException e) {
                return new byte[0];
            }
        });
    }

    @Override
    public String user() {
        return System.getProperty("user.name");
    }

    @Override
    public void close() {
    }
}
