package dev.drover.connection;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Finds the known_hosts line that holds a host's key (for messages). */
final class KnownHostsLines {
    private KnownHostsLines() {
    }

    /** The 1-based line of {@code host}'s key of {@code type} (any type if none matches), or 0. */
    static int lineOf(Path file, String host, String type) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return 0;
        }
        int anyType = 0;
        for (int i = 0; i < lines.size(); i++) {
            String[] f = lines.get(i).trim().split("\\s+");
            int o = f.length > 0 && f[0].startsWith("@") ? 1 : 0;
            if (f.length < o + 3 || f[0].startsWith("#")) {
                continue;
            }
            if (matches(f[o], host)) {
                if (type == null || type.equals(f[o + 1])) {
                    return i + 1;
                }
                if (anyType == 0) {
                    anyType = i + 1;
                }
            }
        }
        return anyType;
    }

    private static boolean matches(String hosts, String host) {
        if (hosts.startsWith("|1|")) {
            String[] p = hosts.split("\\|");
            if (p.length != 4) {
                return false;
            }
            try {
                Mac mac = Mac.getInstance("HmacSHA1");
                mac.init(new SecretKeySpec(Base64.getDecoder().decode(p[2]), "HmacSHA1"));
                return Arrays.equals(mac.doFinal(host.getBytes(StandardCharsets.UTF_8)), Base64.getDecoder().decode(p[3]));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                return false;
            }
        }
        for (String h : hosts.split(",")) {
            if (h.equals(host)) {
                return true;
            }
        }
        return false;
    }
}
