package dev.drover.template.filters;

import static dev.drover.template.Jinja.*;

import dev.drover.template.Py;
import dev.drover.template.TemplateException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** hash, checksum, sha1, md5. */
final class Hashes {
    private Hashes() {
    }

    static void register(Filters fs) {
        fs.add("to_uuid", (v, a, kw) -> uuid5(Py.str(arg(a, kw, 0, "namespace", "361E6D51-FAEC-444A-9079-341386DA8E2E")), Py.str(v)));
        fs.add("hash", (v, a, kw) -> digest(Py.str(v), Py.str(arg(a, kw, 0, "hashtype", "sha1"))));
        fs.add("checksum", (v, a, kw) -> digest(Py.str(v), "sha1"));
        fs.add("sha1", (v, a, kw) -> digest(Py.str(v), "sha1"));
        fs.add("md5", (v, a, kw) -> digest(Py.str(v), "md5"));
    }

    static String digest(String s, String type) {
        String alg = switch (type.toLowerCase()) {
            case "sha1" -> "SHA-1";
            case "sha224" -> "SHA-224";
            case "sha256" -> "SHA-256";
            case "sha384" -> "SHA-384";
            case "sha512" -> "SHA-512";
            case "md5" -> "MD5";
            default -> throw fail(new TemplateException("unsupported hash type " + type));
        };
        try {
            byte[] d = MessageDigest.getInstance(alg).digest(s.getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder();
            for (byte b : d) {
                sb.append(String.format("%02x", b));
            }
            return sb.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw fail(new TemplateException("unsupported hash type " + type));
        }
    }

    /** Python's uuid.uuid5(namespace, name). */
    static String uuid5(String namespace, String name) {
        java.util.UUID ns = java.util.UUID.fromString(namespace);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16).putLong(ns.getMostSignificantBits()).putLong(ns.getLeastSignificantBits());
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(b.array());
            byte[] h = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
            h[6] = (byte) ((h[6] & 0x0f) | 0x50);
            h[8] = (byte) ((h[8] & 0x3f) | 0x80);
            java.nio.ByteBuffer r = java.nio.ByteBuffer.wrap(h, 0, 16);
            return new java.util.UUID(r.getLong(), r.getLong()).toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw fail("to_uuid: no SHA-1");
        }
    }
}
