package dev.drover.cli;

import dev.drover.vault.VaultException;
import dev.drover.vault.VaultSecret;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * The vault options shared by {@code drover run} and {@code drover vault}, read as ansible-core
 * 2.14 reads them: {@code --vault-password-file} (a file whose content, stripped of white space, is
 * the password; or an executable script whose stdout, stripped of line breaks, is), then
 * {@code $ANSIBLE_VAULT_PASSWORD_FILE}, {@code --vault-id [LABEL@]FILE|prompt}, and
 * {@code --ask-vault-pass} (asked on the console without echo). Passwords never reach an argument
 * list, a log line or the output.
 */
public final class VaultPasswords {

    @Option(names = {"--vault-password-file", "--vault-pass-file"}, paramLabel = "FILE",
            description = "Vault password file, or an executable script that prints the password (repeatable). "
                    + "Also $ANSIBLE_VAULT_PASSWORD_FILE.")
    List<Path> passwordFiles = new ArrayList<>();

    @Option(names = {"-J", "--ask-vault-pass", "--ask-vault-password"}, description = "Ask for the vault password.")
    boolean ask;

    @Option(names = "--vault-id", paramLabel = "[LABEL@]SOURCE",
            description = "A vault password with a label: LABEL@FILE, LABEL@prompt or FILE (repeatable).")
    List<String> vaultIds = new ArrayList<>();

    /** vault_identity_list of ansible.cfg / ANSIBLE_VAULT_IDENTITY_LIST: before the --vault-id values, as in Ansible. */
    List<String> configuredIds = List.of();

    /** True when no password source is given (ansible-vault then asks). */
    boolean none(Map<String, String> env) {
        return passwordFiles.isEmpty() && !ask && vaultIds.isEmpty() && configuredIds.isEmpty() && blank(env.get("ANSIBLE_VAULT_PASSWORD_FILE"));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /**
     * The secrets, in Ansible's order: --vault-id values, --vault-password-file values,
     * $ANSIBLE_VAULT_PASSWORD_FILE, then --ask-vault-pass.
     *
     * @param newPassword asks twice ("New Vault password: ", "Confirm New Vault password: ") as
     *                    ansible-vault does for encrypt/create
     * @param prompter    asks a question without echo; null answer = no terminal input
     */
    List<VaultSecret> secrets(boolean newPassword, boolean autoPrompt, Map<String, String> env,
                              Function<String, String> prompter) {
        List<VaultSecret> out = new ArrayList<>();
        boolean prompt = ask || (autoPrompt && none(env));
        List<String> ids = new ArrayList<>(configuredIds);
        ids.addAll(vaultIds);
        for (String id : ids) {
            int at = id.indexOf('@');
            String label = at < 0 ? VaultSecret.DEFAULT_ID : id.substring(0, at);
            String source = at < 0 ? id : id.substring(at + 1);
            if (label.contains(";")) {
                throw new VaultException("'" + label + "' is not a valid vault id. The character ';' is not allowed in vault ids");
            }
            if (source.equals("prompt") || source.equals("prompt_ask_vault_pass")) {
                out.add(new VaultSecret(label, asked(newPassword ? "New vault password (" + label + "): " : "Vault password (" + label + "): ",
                        newPassword ? "Confirm new vault password (" + label + "): " : null, prompter)));
            } else {
                out.add(new VaultSecret(label, fromFile(Path.of(source))));
            }
        }
        List<Path> files = new ArrayList<>(passwordFiles);
        String envFile = env.get("ANSIBLE_VAULT_PASSWORD_FILE");
        if (!blank(envFile)) {
            files.add(Path.of(envFile));
        }
        for (Path f : files) {
            out.add(new VaultSecret(VaultSecret.DEFAULT_ID, fromFile(f)));
        }
        if (prompt) {
            out.add(new VaultSecret(VaultSecret.DEFAULT_ID, asked(newPassword ? "New Vault password: " : "Vault password: ",
                    newPassword ? "Confirm New Vault password: " : null, prompter)));
        }
        return out;
    }

    private static byte[] asked(String prompt, String confirm, Function<String, String> prompter) {
        String a = prompter.apply(prompt);
        if (a == null) {
            throw new VaultException("EOFError (ctrl-d) on prompt for the vault password");
        }
        a = a.strip();
        if (confirm != null) {
            String b = prompter.apply(confirm);
            if (b == null || !a.equals(b.strip())) {
                throw new VaultException("Passwords do not match");
            }
        }
        if (a.isEmpty()) {
            throw new VaultException("Invalid vault password was provided");
        }
        return a.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A password file's content stripped of white space, or an executable's stdout stripped of CR/LF. */
    static byte[] fromFile(Path file) {
        Path f = file.toAbsolutePath();
        if (!Files.exists(f)) {
            throw new VaultException("The vault password file " + f + " was not found");
        }
        byte[] pass;
        if (Files.isExecutable(f) && Files.isRegularFile(f)) {
            pass = strip(run(f), "\r\n");
            if (pass.length == 0) {
                throw new VaultException("Invalid vault password was provided from script (" + f + ")");
            }
        } else {
            try {
                pass = strip(Files.readAllBytes(f), " \t\n\r\u000b\f");
            } catch (IOException e) {
                throw new VaultException("Could not read vault password file " + f + ": " + e.getMessage());
            }
            if (pass.length == 0) {
                throw new VaultException("Invalid vault password was provided from file (" + f + ")");
            }
        }
        return pass;
    }

    private static byte[] run(Path script) {
        Process p;
        try {
            p = new ProcessBuilder(script.toString()).redirectInput(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new VaultException("Problem running vault password script " + script + " (" + e.getMessage()
                    + "). If this is not a script, remove the executable bit from the file.");
        }
        try (InputStream out = p.getInputStream(); InputStream err = p.getErrorStream()) {
            ByteArrayOutputStream errBuf = new ByteArrayOutputStream();
            Thread t = new Thread(() -> {
                try {
                    err.transferTo(errBuf);
                } catch (IOException ignored) {
                    // stderr is only for the message
                }
            }, "drover-vault-script-stderr");
            t.start();
            byte[] stdout = out.readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new VaultException("Vault password script " + script + " did not finish within 60 s");
            }
            t.join();
            if (p.exitValue() != 0) {
                throw new VaultException("Vault password script " + script + " returned non-zero (" + p.exitValue() + "): "
                        + errBuf.toString(java.nio.charset.StandardCharsets.UTF_8).strip());
            }
            return stdout;
        } catch (IOException e) {
            throw new VaultException("Problem running vault password script " + script + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new VaultException("interrupted while running vault password script " + script);
        }
    }

    /** Python's bytes.strip(chars). */
    static byte[] strip(byte[] b, String chars) {
        int from = 0;
        int to = b.length;
        while (from < to && chars.indexOf(b[from]) >= 0) {
            from++;
        }
        while (to > from && chars.indexOf(b[to - 1]) >= 0) {
            to--;
        }
        return Arrays.copyOfRange(b, from, to);
    }
}
