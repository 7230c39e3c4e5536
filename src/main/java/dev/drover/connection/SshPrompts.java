package dev.drover.connection;

import com.jcraft.jsch.UIKeyboardInteractive;
import com.jcraft.jsch.UserInfo;

/** Answers a password request with the -k password; nothing else is asked. */
final class SshPrompts implements UserInfo, UIKeyboardInteractive {
    private final String password;
    /** The password is offered once (password or keyboard-interactive): no retries that lock accounts. */
    private int asked;

    SshPrompts(String password) {
        this.password = password;
    }

    @Override
    public String getPassphrase() {
        return null;
    }

    @Override
    public String getPassword() {
        return password;
    }

    @Override
    public boolean promptPassword(String message) {
        return password != null && asked++ == 0;
    }

    @Override
    public boolean promptPassphrase(String message) {
        return false;
    }

    @Override
    public boolean promptYesNo(String message) {
        return false;
    }

    @Override
    public void showMessage(String message) {
    }

    @Override
    public String[] promptKeyboardInteractive(String destination, String name, String instruction,
                                              String[] prompt, boolean[] echo) {
        if (password == null || prompt.length != 1 || echo[0] || asked++ > 0) {
            return null;
        }
        return new String[] {password};
    }
}
