package dev.drover.cli;

import dev.drover.engine.ExitCodes;
import dev.drover.git.Checkout;
import dev.drover.journal.Provenance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Unmatched;

/**
 * {@code drover pull}: ansible-pull's job. Clones or updates a repository on the machine drover runs
 * on, then runs a playbook of it on this machine (local connection), from the checkout's directory
 * (its ansible.cfg applies). Every option it does not know goes to {@code drover run}.
 */
@Command(name = "pull", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Clones or updates a git repository here, then runs one of its playbooks on this machine, as"
                + " ansible-pull does; options it does not know (-e, -t, --check, --diff, -v, --vault-…, --journal…)"
                + " go to drover run.")
public final class PullCommand implements Callable<Integer> {

    @Option(names = {"-U", "--url"}, required = true, paramLabel = "URL",
            description = "The repository: a path, file://, ssh:// or user@host:path, https://.")
    String url;

    @Option(names = {"-C", "--checkout"}, paramLabel = "REF",
            description = "The branch, tag or commit to check out (default: the repository's default branch).")
    String ref;

    @Option(names = {"-d", "--directory"}, paramLabel = "DIR",
            description = "Where the checkout lives (default: ~/.ansible/pull/HOSTNAME, as ansible-pull).")
    Path directory;

    @Option(names = {"-o", "--only-if-changed"}, description = "Run the playbook only when the update brought a new commit.")
    boolean onlyIfChanged;

    @Option(names = "--full", description = "A full clone (default: shallow, depth 1).")
    boolean full;

    @Option(names = "--clean", description = "Discard local changes in the checkout before updating it.")
    boolean clean;

    @Option(names = {"-f", "--force"}, description = "Run the playbook even when the repository could not be updated.")
    boolean force;

    @Option(names = "--accept-host-key", description = "Accept an SSH server's host key git has not seen yet.")
    boolean acceptHostKey;

    @Option(names = {"--private-key", "--key-file"}, paramLabel = "FILE", description = "The SSH key git connects with.")
    Path privateKey;

    @Option(names = {"-i", "--inventory"}, paramLabel = "INVENTORY",
            description = "Inventory for the run (default: this machine only, as localhost with a local connection).")
    List<String> inventory = new ArrayList<>();

    @Parameters(index = "0", arity = "0..1", paramLabel = "PLAYBOOK",
            description = "The playbook, relative to the checkout (default: the first of HOSTNAME.yml, FQDN.yml, local.yml).")
    String playbook;

    // drover run's options that take a value, declared so that their values are not taken for the playbook
    @Option(names = {"-e", "--extra-vars"}, paramLabel = "VARS", description = "As drover run's (repeatable).")
    List<String> extraVars = new ArrayList<>();

    @Option(names = {"-t", "--tags"}, paramLabel = "TAGS", description = "As drover run's.")
    List<String> tags = new ArrayList<>();

    @Option(names = "--skip-tags", paramLabel = "TAGS", description = "As drover run's.")
    List<String> skipTags = new ArrayList<>();

    @Option(names = {"-l", "--limit"}, paramLabel = "PATTERN", description = "As drover run's.")
    String limit;

    @Option(names = {"--vault-password-file", "--vault-pass-file"}, paramLabel = "FILE", description = "As drover run's.")
    List<String> vaultPasswordFiles = new ArrayList<>();

    @Option(names = "--vault-id", paramLabel = "ID", description = "As drover run's.")
    List<String> vaultIds = new ArrayList<>();

    @Option(names = "--journal", paramLabel = "FILE", description = "As drover run's.")
    String journal;

    /** The other options of drover run (flags: --check, --diff, -v, -J, -K, --no-journal, …), passed on as given. */
    @Unmatched
    List<String> runOptions = new ArrayList<>();

    private Path cwd = Path.of("").toAbsolutePath();

    private String absolute(String file) {
        return cwd.resolve(file).toString();
    }

    private List<String> forwarded() {
        List<String> out = new ArrayList<>();
        extraVars.forEach(v -> out.addAll(List.of("-e", v)));
        tags.forEach(v -> out.addAll(List.of("-t", v)));
        skipTags.forEach(v -> out.addAll(List.of("--skip-tags", v)));
        if (limit != null) {
            out.addAll(List.of("-l", limit));
        }
        // the run works in the checkout: files named here are the caller's, relative to where drover was started
        vaultPasswordFiles.forEach(v -> out.addAll(List.of("--vault-password-file", absolute(v))));
        vaultIds.forEach(v -> out.addAll(List.of("--vault-id", v)));
        if (journal != null) {
            out.addAll(List.of("--journal", absolute(journal)));
        }
        out.addAll(runOptions);
        return out;
    }

    @ParentCommand
    Main main;

    @Override
    public Integer call() throws IOException {
        Main m = main == null ? new Main() : main;
        cwd = m.cwd;
        String host = Provenance.controllerName();
        Path dest = directory != null ? (directory.isAbsolute() ? directory : m.cwd.resolve(directory))
                : m.home.resolve(".ansible/pull").resolve(host);
        Map<String, String> gitEnv = new HashMap<>();
        m.env.forEach((k, v) -> { // git's own settings (GIT_SSH_COMMAND, …) and the ssh agent, as given to drover
            if (k.startsWith("GIT_") || k.equals("SSH_AUTH_SOCK")) {
                gitEnv.put(k, v);
            }
        });
        if (acceptHostKey || privateKey != null) {
            List<String> ssh = new ArrayList<>(); // added to GIT_SSH_COMMAND when given, else to ssh
            if (acceptHostKey) {
                ssh.add("-o");
                ssh.add("StrictHostKeyChecking=accept-new");
            }
            if (privateKey != null) {
                ssh.add("-i");
                ssh.add((privateKey.isAbsolute() ? privateKey : m.cwd.resolve(privateKey)).toString());
                ssh.add("-o");
                ssh.add("IdentitiesOnly=yes");
            }
            gitEnv.put("GIT_SSH_COMMAND", gitEnv.getOrDefault("GIT_SSH_COMMAND", "ssh") + " "
                    + dev.drover.connection.ShellQuote.join(ssh));
        }
        String what = url + (ref == null ? "" : " " + ref);
        Checkout.Update update;
        try {
            update = Checkout.update(url, dest, ref, full, clean, gitEnv);
        } catch (Checkout.CheckoutException e) {
            System.err.println("ERROR! drover pull: " + e.getMessage());
            if (!force || !Files.isDirectory(dest.resolve(".git"))) {
                return ExitCodes.ERROR;
            }
            System.err.println("[WARNING]: --force: running the playbook of the checkout as it is");
            update = null;
        }
        if (update != null) {
            System.out.println(update.cloned() ? "drover pull: cloned " + what + " into " + dest + " at " + shortHash(update.after())
                    : update.changed() ? "drover pull: updated " + dest + " from " + what + ": " + shortHash(update.before())
                            + " → " + shortHash(update.after())
                    : "drover pull: " + dest + " is up to date with " + what + " at " + shortHash(update.after()));
            if (onlyIfChanged && !update.changed()) {
                System.out.println("Repository has not changed, quitting.");
                return ExitCodes.OK;
            }
        }
        Path book = playbook != null ? dest.resolve(playbook) : defaultPlaybook(dest, host);
        if (book == null || !Files.isRegularFile(book)) {
            System.err.println("ERROR! drover pull: " + (book == null ? "Could not find a playbook to run: none of "
                    + host + ".yml, " + fqdn(host) + ".yml, local.yml is in " + dest : "the playbook " + book + " is not in the checkout"));
            return ExitCodes.ERROR;
        }
        List<String> args = new ArrayList<>(List.of("run", book.toString()));
        Path generated = null;
        if (inventory.isEmpty()) {
            generated = Files.createTempFile("drover-pull-", ".ini");
            Files.writeString(generated, "localhost ansible_connection=local\n");
            args.add("-i");
            args.add(generated.toString());
        } else {
            for (String i : inventory) {
                args.add("-i");
                args.add(i);
            }
        }
        args.addAll(forwarded());
        try {
            return Main.executeIn(m.env, dest, args.toArray(String[]::new));
        } finally {
            if (generated != null) {
                Files.deleteIfExists(generated);
            }
        }
    }

    /** ansible-pull's choice: HOSTNAME.yml, then FQDN.yml, then local.yml. */
    private static Path defaultPlaybook(Path dest, String host) {
        for (String name : new java.util.LinkedHashSet<>(List.of(host + ".yml", fqdn(host) + ".yml", "local.yml"))) {
            if (Files.isRegularFile(dest.resolve(name))) {
                return dest.resolve(name);
            }
        }
        return null;
    }

    private static String fqdn(String host) {
        try {
            return java.net.InetAddress.getLocalHost().getCanonicalHostName();
        } catch (IOException | RuntimeException e) {
            return host;
        }
    }

    private static String shortHash(String h) {
        return h == null ? "(none)" : h.substring(0, Math.min(12, h.length()));
    }
}
