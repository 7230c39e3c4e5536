package dev.drover.connection;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.UserInfo;

/**
 * Wraps the known_hosts repository: remembers the key the server presented (for a fingerprint
 * in messages), accepts everything when host keys are not checked, and never writes the file
 * except with accept-new, where an unknown (never a changed) key is appended after login.
 */
final class SshHostKeys implements HostKeyRepository {
    private static final Logger log = LoggerFactory.getLogger(SshHostKeys.class);

    private final HostKeyRepository delegate;
    private final String policy;
    private final Path file;
    volatile int result = OK;
    volatile String host;
    volatile byte[] key;
    private volatile boolean learn;

    SshHostKeys(HostKeyRepository delegate, String policy, Path file) {
        this.delegate = delegate;
        this.policy = policy;
        this.file = file;
    }

    @Override
    public int check(String host, byte[] key) {
        this.host = host;
        this.key = key;
        if (policy.equals("no")) {
            result = OK;
            return OK;
        }
        result = delegate.check(host, key);
        if (result == NOT_INCLUDED && policy.equals("accept-new")) {
            learn = true;
            return OK;
        }
        return result;
    }

    /** accept-new: appends the key of a host seen for the first time to known_hosts. */
    void learnNewKey() {
        if (!learn) {
            return;
        }
        try {
            HostKey k = new HostKey(host, key);
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            String prefix = Files.isRegularFile(file) && Files.size(file) > 0
                    && !Files.readString(file).endsWith("\n") ? "\n" : "";
            Files.writeString(file, prefix + host + " " + k.getType() + " " + k.getKey() + "\n",
                    StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            log.info("added the {} host key of {} to {}", k.getType(), host, file);
        } catch (IOException | JSchException e) {
            log.warn("could not add the host key of {} to {}: {}", host, file, e.toString());
        }
    }

    String keyType() {
        try {
            return new HostKey(host, key).getType();
        } catch (JSchException | RuntimeException e) {
            return null;
        }
    }

    String fingerprint() {
        try {
            HostKey k = new HostKey(host, key);
            return k.getType() + " key fingerprint " + k.getFingerPrint(new JSch());
        } catch (JSchException | RuntimeException e) {
            return "key (fingerprint unavailable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void add(HostKey hostkey, UserInfo ui) {
        // never learn keys silently
    }

    @Override
    public void remove(String host, String type) {
    }

    @Override
    public void remove(String host, String type, byte[] key) {
    }

    @Override
    public String getKnownHostsRepositoryID() {
        return delegate.getKnownHostsRepositoryID();
    }

    @Override
    public HostKey[] getHostKey() {
        return delegate.getHostKey();
    }

    @Override
    public HostKey[] getHostKey(String host, String type) {
        return delegate.getHostKey(host, type);
    }
}
