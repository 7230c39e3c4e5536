package dev.drover.git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A working copy of a repository kept up to date, as ansible-pull keeps its checkout: cloned when
 * absent, else fetched and checked out again (detached at what was fetched). Shallow (depth 1)
 * unless {@code full}. Local changes to tracked files stop the update unless {@code clean}, which
 * discards them (and untracked files) first.
 */
public final class Checkout {
    private Checkout() {
    }

    /** How the update went: the commit before (null for a fresh clone) and after. */
    public record Update(String before, String after, boolean cloned) {
        public boolean changed() {
            return before == null || !before.equals(after);
        }
    }

    /** The checkout could not be made or updated; the message says why (git's words included). */
    public static final class CheckoutException extends Exception {
        CheckoutException(String message) {
            super(message);
        }
    }

    private static final long TIMEOUT = 600;

    /**
     * Brings {@code dest} to {@code ref} of {@code url} ({@code ref} null: the remote's default
     * branch); {@code env} is added to git's (GIT_SSH_COMMAND, …).
     */
    public static Update update(String url, Path dest, String ref, boolean full, boolean clean, Map<String, String> env)
            throws CheckoutException {
        try {
            boolean exists = Files.isDirectory(dest.resolve(".git"));
            if (exists) {
                Git.Result origin = Git.run(dest, env, TIMEOUT, "config", "--get", "remote.origin.url");
                if (!origin.ok() || !origin.out().strip().equals(url)) {
                    throw new CheckoutException(dest + " is a checkout of " + (origin.ok() ? origin.out().strip() : "no origin")
                            + ", not of " + url + "; give another directory (-d)");
                }
            } else if (Files.exists(dest) && !isEmptyDir(dest)) {
                throw new CheckoutException(dest + " exists and is not a git checkout; give another directory (-d)");
            } else {
                Files.createDirectories(dest);
                Git.Result init = Git.run(dest, env, TIMEOUT, "init", "-q");
                Git.Result remote = init.ok() ? Git.run(dest, env, TIMEOUT, "remote", "add", "origin", url) : init;
                if (!remote.ok()) {
                    throw new CheckoutException("cannot create the checkout " + dest + ": " + remote.why());
                }
            }
            String before = exists ? head(dest, env) : null;
            if (exists) {
                Git.Result status = Git.run(dest, env, TIMEOUT, "status", "--porcelain", "--untracked-files=no");
                if (clean) {
                    Git.Result reset = Git.run(dest, env, TIMEOUT, "reset", "-q", "--hard");
                    Git.Result wipe = reset.ok() ? Git.run(dest, env, TIMEOUT, "clean", "-q", "-fd") : reset;
                    if (!wipe.ok()) {
                        throw new CheckoutException("cannot discard the local changes in " + dest + ": " + wipe.why());
                    }
                } else if (status.ok() && !status.out().isBlank()) {
                    throw new CheckoutException("local modifications exist in " + dest + " (--clean discards them):\n  "
                            + String.join("\n  ", status.out().lines().filter(l -> !l.isBlank()).toList()));
                }
            }
            java.util.List<String> fetch = new java.util.ArrayList<>(java.util.List.of("fetch", "-q"));
            if (!full) {
                fetch.add("--depth=1");
            }
            fetch.add("origin");
            fetch.add(ref == null ? "HEAD" : ref);
            Git.Result fetched = Git.run(dest, env, TIMEOUT, fetch.toArray(String[]::new));
            if (!fetched.ok()) {
                throw new CheckoutException("cannot fetch " + (ref == null ? "" : ref + " of ") + url + ": " + fetched.why());
            }
            Git.Result checkout = Git.run(dest, env, TIMEOUT, "checkout", "-q", "--detach", "FETCH_HEAD");
            if (!checkout.ok()) {
                throw new CheckoutException("cannot check out what was fetched into " + dest + ": " + checkout.why());
            }
            return new Update(before, head(dest, env), !exists);
        } catch (IOException e) {
            throw new CheckoutException(e.getMessage());
        }
    }

    private static String head(Path dest, Map<String, String> env) throws Git.GitUnavailable {
        Git.Result r = Git.run(dest, env, TIMEOUT, "rev-parse", "-q", "--verify", "HEAD");
        return r.ok() ? r.out().strip() : null;
    }

    private static boolean isEmptyDir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }
}
