package dev.drover.template.lookups;

import dev.drover.template.Jinja;
import dev.drover.template.Py;
import dev.drover.template.TemplateException;
import dev.drover.vault.Keyring;
import dev.drover.vault.VaultException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * unvault: a controller file's content (searched in files/), decrypted with the run's vault
 * passwords when it is vault data; the text is masked in drover's output as every vault value.
 */
final class Unvault implements Lookups.Lookup {
    @Override
    public List<Object> run(List<Object> terms, Map<String, Object> options) {
        List<Object> out = new ArrayList<>();
        for (Object t : terms) {
            Path p = SearchPath.locate(Py.str(t), "files");
            if (p == null || !Files.isRegularFile(p)) {
                throw Jinja.fail(new TemplateException("Unable to find file matching \"" + Py.str(t) + "\" "));
            }
            out.add(read(p, true));
        }
        return out;
    }

    /** The file's text, decrypted if it is vault data (and then remembered for masking when {@code mask}). */
    static String read(Path p, boolean mask) {
        byte[] data;
        try {
            data = Files.readAllBytes(p);
        } catch (IOException e) {
            throw Jinja.fail(new TemplateException("could not read file " + p + ": " + e.getMessage()));
        }
        Keyring keyring = Keyring.current();
        byte[] plain;
        try {
            plain = keyring.openIfEncrypted(data, p.toString());
        } catch (VaultException e) {
            throw Jinja.fail(new TemplateException(e.getMessage()));
        }
        String text = new String(plain, StandardCharsets.UTF_8);
        if (plain != data && mask) {
            keyring.remember(text);
        }
        return text;
    }
}
