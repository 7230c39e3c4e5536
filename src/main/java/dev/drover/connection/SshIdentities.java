package dev.drover.connection;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.jcraft.jsch.Identity;
import com.jcraft.jsch.IdentityRepository;

/** The agent's keys first (as ssh), then the key files. */
final class SshIdentities implements IdentityRepository {
    private static final Logger log = LoggerFactory.getLogger(SshIdentities.class);

    private final IdentityRepository agent;
    private final IdentityRepository files;

    SshIdentities(IdentityRepository agent, IdentityRepository files) {
        this.agent = agent;
        this.files = files;
    }

    @Override
    public String getName() {
        return "drover";
    }

    @Override
    public int getStatus() {
        return RUNNING;
    }

    @Override
    public java.util.Vector<Identity> getIdentities() {
        java.util.Vector<Identity> all = new java.util.Vector<>();
        if (agent != null) {
            try {
                all.addAll(agent.getIdentities());
            } catch (RuntimeException e) {
                log.debug("ssh-agent unusable: {}", e.toString());
            }
        }
        all.addAll(files.getIdentities());
        return all;
    }

    @Override
    public boolean add(byte[] identity) {
        return files.add(identity);
    }

    @Override
    public boolean remove(byte[] blob) {
        return files.remove(blob);
    }

    @Override
    public void removeAll() {
        files.removeAll();
    }
}
