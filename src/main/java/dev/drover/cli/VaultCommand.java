package dev.drover.cli;

import dev.drover.connection.ShellQuote;
import dev.drover.engine.ExitCodes;
import dev.drover.vault.VaultException;
import dev.drover.vault.VaultFormat;
import dev.drover.vault.VaultSecret;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code drover vault encrypt|decrypt|view|edit|create|encrypt_string}: ansible-vault's commands,
 * reading and writing the same files (see {@link VaultFormat}). Errors are one {@code ERROR!} line
 * and exit 1, as ansible-vault.
 */
@Command(name = "vault", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Encrypts and decrypts Ansible Vault files and strings (as ansible-vault).",
        subcommands = {VaultCommand.Encrypt.class, VaultCommand.Decrypt.class, VaultCommand.View.class,
                VaultCommand.Edit.class, VaultCommand.Create.class, VaultCommand.EncryptString.class})
public final class VaultCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.err);
    }

    /** Shared by the subcommands: passwords, error handling. */
    abstract static class Action implements Callable<Integer> {
        @Mixin
        VaultPasswords passwords;

        /** The environment (a field so that tests can give their own). */
        Map<String, String> env = System.getenv();

        abstract void execute() throws IOException;

        /** Whether this action writes new vault data (asks for the password twice). */
        boolean writes() {
            return false;
        }

        @Override
        public Integer call() {
            try {
                execute();
                return ExitCodes.OK;
            } catch (VaultException e) {
                System.err.println("ERROR! " + e.getMessage());
                return ExitCodes.ERROR;
            } catch (IOException e) {
                System.err.println("ERROR! " + e.getMessage());
                return ExitCodes.ERROR;
            } catch (dev.drover.config.ConfigException e) {
                System.err.println("ERROR! " + e.getMessage());
                return ExitCodes.BAD_OPTIONS;
            } finally {
                Prompter.uninstall();
            }
        }

        List<VaultSecret> secrets() {
            // vault_password_file / vault_identity_list of ansible.cfg, as ansible-vault reads them
            String home = env.getOrDefault("HOME", System.getProperty("user.home"));
            dev.drover.config.Settings cfg = dev.drover.config.Settings.resolve(env, Path.of("").toAbsolutePath(),
                    Path.of(home.isEmpty() ? System.getProperty("user.home") : home));
            Map<String, String> vaultEnv = new java.util.HashMap<>(env);
            vaultEnv.remove("ANSIBLE_VAULT_PASSWORD_FILE");
            if (cfg.vaultPasswordFile() != null) {
                vaultEnv.put("ANSIBLE_VAULT_PASSWORD_FILE", cfg.vaultPasswordFile().toString());
            }
            passwords.configuredIds = cfg.vaultIdentityList();
            List<VaultSecret> s = passwords.secrets(writes(), true, vaultEnv, Prompter::ask);
            if (s.isEmpty()) {
                throw new VaultException("A vault password is required to use Ansible's Vault");
            }
            return s;
        }

        /** The one secret to encrypt with (ansible-vault refuses to choose between several). */
        VaultSecret encryptSecret() {
            List<VaultSecret> s = secrets();
            if (s.size() > 1) {
                throw new VaultException("The vault-ids " + String.join(",", s.stream().map(VaultSecret::id).toList())
                        + " are available to encrypt; give only one password to encrypt with");
            }
            return s.get(0);
        }

        static void successful(String what) {
            if (System.console() != null) {
                System.err.println(what + " successful");
            }
        }
    }

    @Command(name = "encrypt", mixinStandardHelpOptions = true, description = "Encrypts files in place (stdin to stdout without FILE).")
    static final class Encrypt extends Action {
        @Parameters(paramLabel = "FILE", arity = "0..*")
        List<String> files = new ArrayList<>();

        @Option(names = "--output", paramLabel = "FILE", description = "Write here instead (- for stdout).")
        String output;

        @Override
        boolean writes() {
            return true;
        }

        @Override
        void execute() throws IOException {
            checkOutput(files, output);
            VaultSecret secret = encryptSecret();
            for (String f : files.isEmpty() ? List.of("-") : files) {
                byte[] plain = readInput(f);
                if (VaultFormat.isEncrypted(plain)) {
                    throw new VaultException("input is already encrypted" + (f.equals("-") ? "" : " for " + f));
                }
                writeOutput(VaultFormat.encrypt(plain, secret).getBytes(StandardCharsets.US_ASCII), output == null ? f : output);
            }
            successful("Encryption");
        }
    }

    @Command(name = "decrypt", mixinStandardHelpOptions = true, description = "Decrypts files in place (stdin to stdout without FILE).")
    static final class Decrypt extends Action {
        @Parameters(paramLabel = "FILE", arity = "0..*")
        List<String> files = new ArrayList<>();

        @Option(names = "--output", paramLabel = "FILE", description = "Write here instead (- for stdout).")
        String output;

        @Override
        void execute() throws IOException {
            checkOutput(files, output);
            List<VaultSecret> secrets = secrets();
            for (String f : files.isEmpty() ? List.of("-") : files) {
                byte[] data = readInput(f);
                String name = f.equals("-") ? null : realPath(f).toString();
                byte[] plain = decrypt(data, secrets, name);
                writeOutput(plain, output == null ? f : output);
            }
            successful("Decryption");
        }
    }

    @Command(name = "view", mixinStandardHelpOptions = true, description = "Prints the decrypted content of files.")
    static final class View extends Action {
        @Parameters(paramLabel = "FILE", arity = "1..*")
        List<String> files = new ArrayList<>();

        @Override
        void execute() throws IOException {
            List<VaultSecret> secrets = secrets();
            for (String f : files) {
                byte[] plain = decrypt(readInput(f), secrets, f);
                System.out.write(plain);
                System.out.flush();
            }
        }
    }

    @Command(name = "edit", mixinStandardHelpOptions = true,
            description = "Decrypts a file into a private temporary file, runs $EDITOR on it, and encrypts it back if it changed.")
    static final class Edit extends Action {
        @Parameters(paramLabel = "FILE", arity = "1..*")
        List<String> files = new ArrayList<>();

        @Override
        void execute() throws IOException {
            List<VaultSecret> secrets = secrets();
            for (String f : files) {
                Path real = realPath(f);
                String vaulttext = new String(Files.readAllBytes(real), StandardCharsets.UTF_8);
                VaultFormat.Opened opened;
                try {
                    opened = VaultFormat.decrypt(vaulttext, secrets, real.toString());
                } catch (VaultException e) {
                    throw new VaultException(e.getMessage() + " for " + real);
                }
                String id = opened.envelope().vaultId() == null ? VaultSecret.DEFAULT_ID : opened.envelope().vaultId();
                VaultSecret secret = new VaultSecret(id, opened.secret().password());
                editAndSave(real, opened.plaintext(), secret, false);
            }
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Creates a new encrypted file with $EDITOR.")
    static final class Create extends Action {
        @Parameters(paramLabel = "FILE", arity = "1")
        String file;

        @Override
        boolean writes() {
            return true;
        }

        @Override
        void execute() throws IOException {
            Path p = Path.of(file);
            if (Files.isRegularFile(p)) {
                throw new VaultException(file + " exists, please use 'edit' instead");
            }
            VaultSecret secret = encryptSecret();
            Path dir = p.toAbsolutePath().getParent();
            if (!Files.isDirectory(dir)) {
                System.err.println("[WARNING]: " + dir + " does not exist, creating...");
                Files.createDirectories(dir);
            }
            editAndSave(p.toAbsolutePath(), null, secret, true);
        }
    }

    @Command(name = "encrypt_string", mixinStandardHelpOptions = true,
            description = "Encrypts strings into '!vault |' YAML blocks to paste into a playbook or vars file "
                    + "(stdin without STRING, with '-' or with --stdin-name).")
    static final class EncryptString extends Action {
        @Parameters(paramLabel = "STRING", arity = "0..*")
        List<String> strings = new ArrayList<>();

        @Option(names = {"-n", "--name"}, paramLabel = "NAME", description = "Variable name for each STRING, in order (repeatable).")
        List<String> names = new ArrayList<>();

        @Option(names = "--stdin-name", paramLabel = "NAME", description = "Variable name for the string read from stdin.")
        String stdinName;

        @Option(names = {"-p", "--prompt"}, description = "Ask for the string (hidden) and its name.")
        boolean prompt;

        @Option(names = "--output", paramLabel = "FILE", description = "Write here instead of stdout.")
        String output;

        @Override
        boolean writes() {
            return true;
        }

        @Override
        void execute() throws IOException {
            boolean fromStdin = strings.contains("-") || strings.isEmpty() && !prompt || stdinName != null;
            if (prompt && fromStdin) {
                throw new VaultException("The --prompt option is not supported if also reading input from stdin");
            }
            VaultSecret secret = encryptSecret();
            List<String[]> inputs = new ArrayList<>(); // {text, source, name}
            if (prompt) {
                String name = Prompter.ask("Variable name (enter for no name): ");
                String text = Prompter.ask("String to encrypt (hidden): ");
                if (text == null || text.isEmpty()) {
                    throw new VaultException("The plaintext provided from the prompt was empty, not encrypting");
                }
                inputs.add(new String[] {text, "the interactive prompt", name == null || name.isEmpty() ? null : name});
            }
            if (fromStdin) {
                if (System.console() != null) {
                    System.err.println("Reading plaintext input from stdin. (ctrl-d to end input, twice if your content does not already have a newline)");
                }
                String text = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
                if (text.isEmpty()) {
                    throw new VaultException("stdin was empty, not encrypting");
                }
                inputs.add(new String[] {text, "stdin", stdinName});
            }
            List<String> args = strings.stream().filter(s -> !s.equals("-")).toList();
            if (!names.isEmpty() && args.size() > names.size()) {
                System.err.println("The number of --name options do not match the number of args.");
                System.err.println("The last named variable will be \"" + names.get(names.size() - 1)
                        + "\". The rest will not have names.");
            }
            for (int i = 0; i < args.size(); i++) {
                if (args.get(i).isEmpty()) {
                    throw new VaultException("The plaintext provided from the command line args was empty, not encrypting");
                }
                inputs.add(new String[] {args.get(i), "the command line args", i < names.size() ? names.get(i) : null});
            }
            List<String> blocks = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                String[] in = inputs.get(i);
                if (inputs.size() > 1) {
                    System.err.print(in[2] != null
                            ? "# The encrypted version of variable (\"" + in[2] + "\", the string #" + (i + 1) + " from " + in[1] + ").\n"
                            : "# The encrypted version of the string #" + (i + 1) + " from " + in[1] + ".)\n");
                }
                blocks.add(yamlBlock(VaultFormat.encrypt(in[0].getBytes(StandardCharsets.UTF_8), secret), in[2]));
            }
            writeOutput(String.join("\n", blocks).getBytes(StandardCharsets.UTF_8), output == null ? "-" : output);
            successful("Encryption");
        }
    }

    /** ansible-vault's format_ciphertext_yaml: {@code [NAME: ]!vault |} and the envelope indented by 10. */
    static String yamlBlock(String vaulttext, String name) {
        StringBuilder b = new StringBuilder(name == null ? "" : name + ": ").append("!vault |");
        for (String line : vaulttext.split("\n")) {
            b.append('\n').append(" ".repeat(10)).append(line);
        }
        return b.toString();
    }

    private static void checkOutput(List<String> files, String output) {
        if (output != null && files.size() > 1) {
            throw new VaultException("At most one input file may be used with the --output option");
        }
    }

    private static byte[] decrypt(byte[] data, List<VaultSecret> secrets, String name) {
        String text = new String(data, StandardCharsets.UTF_8);
        try {
            return VaultFormat.decrypt(text, secrets, name).plaintext();
        } catch (VaultException e) {
            throw new VaultException(e.getMessage() + (name == null ? "" : " for " + name));
        }
    }

    private static Path realPath(String f) throws IOException {
        Path p = Path.of(f);
        if (!Files.exists(p)) {
            throw new IOException("Unable to read source file (" + f + "): [Errno 2] No such file or directory");
        }
        return p.toRealPath();
    }

    private static byte[] readInput(String f) throws IOException {
        if (f.equals("-")) {
            return System.in.readAllBytes();
        }
        return Files.readAllBytes(realPath(f));
    }

    /** Writes {@code data} to stdout ({@code -}) or atomically over a file, keeping its mode (0600 when new). */
    static void writeOutput(byte[] data, String target) throws IOException {
        if (target.equals("-")) {
            PrintStream out = System.out;
            out.write(data);
            out.flush();
            return;
        }
        Path p = Path.of(target);
        Path dest = Files.exists(p) ? p.toRealPath() : p.toAbsolutePath();
        Set<PosixFilePermission> mode = Files.exists(dest) ? Files.getPosixFilePermissions(dest)
                : PosixFilePermissions.fromString("rw-------");
        Path tmp = Files.createTempFile(dest.getParent(), "." + dest.getFileName() + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.write(tmp, data);
            Files.setPosixFilePermissions(tmp, mode);
            try {
                Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dest, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Writes the plaintext to a private temporary file, runs the editor on it ({@code $EDITOR},
     * else {@code vi}; the {@code drover.editor} system property wins, for tests), and encrypts
     * the result over {@code file} when it changed (always for create). The temporary file is
     * overwritten with zeros and deleted whatever happens.
     */
    private static void editAndSave(Path file, byte[] existing, VaultSecret secret, boolean always) throws IOException {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String suffix = dot > 0 ? name.substring(dot) : "";
        Path tmp = Files.createTempFile("drover-vault-", suffix,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            if (existing != null) {
                Files.write(tmp, existing);
            }
            String editor = System.getProperty("drover.editor");
            if (editor == null || editor.isBlank()) {
                editor = System.getenv("EDITOR");
            }
            if (editor == null || editor.isBlank()) {
                editor = "vi";
            }
            int rc;
            try {
                // $EDITOR is split as a shell would split it (ansible-vault uses shlex.split)
                rc = new ProcessBuilder("/bin/sh", "-c", editor + " " + ShellQuote.quote(tmp.toString()))
                        .inheritIO().start().waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new VaultException("interrupted while editing " + file);
            }
            if (rc == 126 || rc == 127) {
                throw new VaultException("Unable to execute the command \"" + editor + " " + tmp + "\" (exit " + rc + ")");
            }
            byte[] edited = Files.readAllBytes(tmp);
            if (always || existing == null || !Arrays.equals(existing, edited)) {
                writeOutput(VaultFormat.encrypt(edited, secret).getBytes(StandardCharsets.US_ASCII), file.toString());
            }
        } finally {
            shred(tmp);
        }
    }

    private static void shred(Path tmp) {
        try {
            if (Files.exists(tmp)) {
                long size = Files.size(tmp);
                Files.write(tmp, new byte[(int) Math.min(size, Integer.MAX_VALUE)]);
            }
        } catch (IOException ignored) {
            // deleted below anyway
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // nothing more to do
            }
        }
    }
}
