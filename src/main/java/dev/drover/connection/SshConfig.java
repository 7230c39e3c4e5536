package dev.drover.connection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.jcraft.jsch.ConfigRepository;
import com.jcraft.jsch.OpenSSHConfig;

/**
 * The OpenSSH client config file ({@code ~/.ssh/config}; another with the spec's sshConfig, the
 * {@code drover.ssh_config} system property or {@code $DROVER_SSH_CONFIG}) parsed by JSch's
 * {@link OpenSSHConfig}. Drover reads Host/Match-less entries for HostName, Port, User,
 * IdentityFile, ProxyJump, StrictHostKeyChecking and UserKnownHostsFile. {@code Include} lines are
 * read as ssh does (glob patterns, relative paths under ~/.ssh, files in name order) and their
 * content takes their place, which JSch does not do itself.
 */
final class SshConfig {
    private static final ConfigRepository.Config EMPTY = ConfigRepository.defaultConfig;

    private final ConfigRepository repo;

    private SshConfig(ConfigRepository repo) {
        this.repo = repo;
    }

    static Path path(ConnectionSpec spec) {
        if (spec.sshConfig() != null) {
            return spec.sshConfig();
        }
        String p = System.getProperty("drover.ssh_config");
        if (p == null || p.isBlank()) {
            p = System.getenv("DROVER_SSH_CONFIG");
        }
        if (p != null && !p.isBlank()) {
            return Path.of(expandHome(p));
        }
        return Path.of(System.getProperty("user.home"), ".ssh", "config");
    }

    static SshConfig load(ConnectionSpec spec) throws ConnectionException {
        Path p = path(spec);
        if (!Files.isRegularFile(p)) {
            return new SshConfig(null);
        }
        try {
            return new SshConfig(OpenSSHConfig.parse(withIncludes(p, 0)));
        } catch (IOException | RuntimeException e) {
            throw new ConnectionException("host " + spec.name() + ": cannot read the ssh config " + p + ": " + e.getMessage(), e);
        }
    }

    /** ssh's limit on nested Include. */
    private static final int MAX_INCLUDE_DEPTH = 16;

    /** The config's text with each {@code Include} line replaced by the files it names. */
    static String withIncludes(Path file, int depth) throws IOException {
        if (depth > MAX_INCLUDE_DEPTH) {
            throw new IOException("Include nested too deep (more than " + MAX_INCLUDE_DEPTH + ") at " + file);
        }
        StringBuilder out = new StringBuilder();
        for (String line : Files.readAllLines(file)) {
            String t = line.strip();
            String[] words = t.split("[\\s=]+", 2);
            if (words.length == 2 && words[0].equalsIgnoreCase("include")) {
                for (String pattern : words[1].trim().split("\\s+")) {
                    for (Path inc : matching(expandHome(pattern.replace("\"", "")))) {
                        out.append(withIncludes(inc, depth + 1)).append('\n');
                    }
                }
            } else {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    /** The regular files an Include pattern names, in name order (relative: under ~/.ssh). */
    private static java.util.List<Path> matching(String pattern) throws IOException {
        Path p = Path.of(pattern);
        if (!p.isAbsolute()) {
            p = Path.of(System.getProperty("user.home"), ".ssh").resolve(p);
        }
        Path dir = p.getParent();
        String glob = p.getFileName().toString();
        if (dir == null || !Files.isDirectory(dir)) {
            return java.util.List.of();
        }
        java.util.List<Path> out = new java.util.ArrayList<>();
        try (java.nio.file.DirectoryStream<Path> ds = Files.newDirectoryStream(dir, glob)) {
            ds.forEach(f -> {
                if (Files.isRegularFile(f)) {
                    out.add(f);
                }
            });
        }
        java.util.Collections.sort(out);
        return out;
    }

    ConfigRepository.Config forHost(String alias) {
        return repo == null ? EMPTY : repo.getConfig(alias);
    }

    /** ~ and the %h %p %r %n %% tokens of IdentityFile / UserKnownHostsFile. */
    static String expand(String value, String alias, String host, int port, String user) {
        String v = expandHome(value);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '%' && i + 1 < v.length()) {
                char t = v.charAt(++i);
                switch (t) {
                    case 'h' -> out.append(host);
                    case 'n' -> out.append(alias);
                    case 'p' -> out.append(port);
                    case 'r' -> out.append(user);
                    case 'd' -> out.append(System.getProperty("user.home"));
                    case 'u' -> out.append(System.getProperty("user.name"));
                    case '%' -> out.append('%');
                    default -> out.append('%').append(t);
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static String expandHome(String p) {
        if (p.startsWith("\"") && p.endsWith("\"") && p.length() > 1) {
            p = p.substring(1, p.length() - 1);
        }
        return p.equals("~") ? System.getProperty("user.home")
                : p.startsWith("~/") ? System.getProperty("user.home") + p.substring(1) : p;
    }
}
