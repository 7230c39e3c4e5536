package dev.drover.engine;

import dev.drover.inventory.Host;
import dev.drover.inventory.Inventory;
import dev.drover.inventory.InventoryException;
import dev.drover.playbook.Play;
import dev.drover.playbook.Playbook;
import dev.drover.template.Templar;
import dev.drover.vault.Keyring;
import dev.drover.vault.VaultException;
import dev.drover.yaml.Location;
import dev.drover.yaml.Vaulted;
import dev.drover.yaml.YamlException;
import dev.drover.yaml.YamlLoader;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Before any host is touched: every vault value the run can see (inline {@code !vault} values in
 * the playbook, its roles and blocks, the plays' vars_files, the inventory's variables and
 * group_vars/host_vars, -e) is decrypted once with the run's keyring. A missing or wrong password
 * is then an error naming the file:line:column (exit 1, as ansible-playbook exits for an encrypted
 * vars file it cannot open), and every secret is known to the output's masking before the first
 * line is printed.
 */
final class VaultCheck {
    private VaultCheck() {
    }

    static void check(Playbook playbook, Inventory inventory, Map<String, Object> extraVars) throws RunException {
        Keyring keyring = Keyring.current();
        List<Vaulted> found = new ArrayList<>();
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        walk(playbook, found, seen);
        walk(extraVars, found, seen);
        for (Play play : playbook.plays()) {
            for (String f : play.varsFiles()) {
                if (Templar.isTemplated(f)) {
                    continue; // known at run time only; decrypted (or failed) when the play loads it
                }
                Path p = play.baseDir().resolve(f);
                if (!Files.isRegularFile(p)) {
                    continue;
                }
                try {
                    walk(YamlLoader.loadData(p), found, seen);
                } catch (VaultException e) {
                    throw new RunException(ExitCodes.ERROR, Location.of(p.toString()), e.getMessage());
                } catch (YamlException e) {
                    // reported when the play loads it, as before
                }
            }
        }
        Path dir = playbook.file().toAbsolutePath().getParent();
        for (Host h : inventory.hosts()) {
            try {
                walk(inventory.varsFor(h, dir), found, seen);
            } catch (InventoryException e) {
                throw new RunException(ExitCodes.UNREACHABLE_OR_PARSE, e.location(), e.getMessage());
            } catch (VaultException e) {
                throw new RunException(ExitCodes.ERROR, Location.of(h.name()), e.getMessage());
            }
        }
        for (Vaulted v : found) {
            try {
                v.reveal();
            } catch (VaultException e) {
                String msg = e.getMessage();
                throw new RunException(ExitCodes.ERROR, v.location(), keyring.hasSecrets() ? msg
                        : "Attempting to decrypt but no vault secrets found; give the vault password with "
                                + "--ask-vault-pass, --vault-password-file FILE or $ANSIBLE_VAULT_PASSWORD_FILE");
            }
        }
    }

    /** Collects Vaulted values in records (the playbook model), maps and lists. */
    private static void walk(Object o, List<Vaulted> found, Set<Object> seen) {
        if (o == null || o instanceof String || o instanceof Number || o instanceof Boolean || o instanceof Path
                || o instanceof Location || o instanceof Enum<?>) {
            return;
        }
        if (o instanceof Vaulted v) {
            found.add(v);
            return;
        }
        if (!seen.add(o)) {
            return;
        }
        if (o instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                walk(e.getKey(), found, seen);
                walk(e.getValue(), found, seen);
            }
        } else if (o instanceof Iterable<?> l) {
            for (Object x : l) {
                walk(x, found, seen);
            }
        } else if (o instanceof Record r) {
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                try {
                    c.getAccessor().setAccessible(true);
                    walk(c.getAccessor().invoke(r), found, seen);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // a component we cannot read holds no playbook data
                }
            }
        }
    }
}
