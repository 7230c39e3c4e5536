package dev.drover.git;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The git state of the repository a playbook lives in: its top directory, the commit checked out
 * and the uncommitted changes ({@code git status --porcelain} lines: modified, staged and untracked
 * files; ignored files do not count). Read with the host's {@code git}; a directory outside any
 * repository, or a machine without git, has none.
 *
 * @param root    the repository's top directory
 * @param commit  the full hash of HEAD, or null in a repository without a commit yet
 * @param branch  the branch checked out, or null when HEAD is detached
 * @param changes the {@code git status --porcelain} lines; empty when the tree is clean
 */
public record GitState(Path root, String commit, String branch, List<String> changes) {

    public GitState {
        changes = List.copyOf(changes);
    }

    public boolean dirty() {
        return !changes.isEmpty();
    }

    /** The commit, shortened as git shows it ({@code 3f2c1ab}), with {@code +dirty} for a dirty tree. */
    public String describe() {
        String c = commit == null ? "(no commit)" : commit.substring(0, Math.min(12, commit.length()));
        return dirty() ? c + "+dirty" : c;
    }

    /** The repository holding {@code dir}, or empty when there is none (or no git to ask). */
    public static Optional<GitState> of(Path dir) {
        if (!inRepository(dir)) {
            return Optional.empty(); // no .git above: no git process to start
        }
        // one git process: the top directory, HEAD and the branch; then the status
        Optional<String> head = git(dir, "rev-parse", "--show-toplevel", "--verify", "-q", "HEAD");
        if (head.isEmpty()) {
            head = git(dir, "rev-parse", "--show-toplevel"); // no commit yet (rev-parse HEAD fails)
            if (head.isEmpty()) {
                return Optional.empty();
            }
        }
        List<String> lines = head.get().lines().toList();
        Path root = Path.of(lines.get(0));
        String commit = lines.size() > 1 ? lines.get(1) : null;
        String branch = git(dir, "symbolic-ref", "-q", "--short", "HEAD").map(String::strip).filter(s -> !s.isEmpty())
                .orElse(null);
        List<String> changes = git(dir, "status", "--porcelain", "--untracked-files=normal")
                .map(s -> s.lines().filter(l -> !l.isBlank()).toList()).orElse(List.of());
        return Optional.of(new GitState(root, commit, branch, changes));
    }

    private static boolean inRepository(Path dir) {
        for (Path d = dir.toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.exists(d.resolve(".git"))) {
                return true;
            }
        }
        return false;
    }

    /** git's output, or empty when it fails or cannot be started. */
    private static Optional<String> git(Path dir, String... args) {
        try {
            Git.Result r = Git.run(dir, java.util.Map.of(), 30, args);
            return r.ok() ? Optional.of(r.out()) : Optional.empty();
        } catch (Git.GitUnavailable e) {
            return Optional.empty();
        }
    }
}
