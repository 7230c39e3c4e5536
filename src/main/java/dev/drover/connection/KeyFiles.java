package dev.drover.connection;

import java.nio.file.Path;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.KeyPair;

final class KeyFiles {
    private KeyFiles() {
    }

    /** Whether a private key file needs a passphrase (false when unreadable: JSch reports that). */
    static boolean isEncrypted(Path key) {
        try {
            KeyPair kp = KeyPair.load(new JSch(), key.toString());
            boolean enc = kp.isEncrypted();
            kp.dispose();
            return enc;
        } catch (JSchException | RuntimeException e) {
            return false;
        }
    }
}
