package dev.drover.module;

import dev.drover.connection.CommandResult;
import dev.drover.connection.ConnectionException;
import dev.drover.connection.Shell;
import java.util.Optional;

/** STUB (replaced by the modules branch). */
public final class SimulatedHostView implements HostView {
    public SimulatedHostView(HostView live, SimulatedState state) {
    }

    @Override public FileState file(String path) { throw new UnsupportedOperationException(); }
    @Override public FileState fileFollow(String path) { throw new UnsupportedOperationException(); }
    @Override public Optional<byte[]> read(String path) { throw new UnsupportedOperationException(); }
    @Override public Optional<UserState> user(String name) { throw new UnsupportedOperationException(); }
    @Override public Optional<GroupState> group(String name) { throw new UnsupportedOperationException(); }
    @Override public CommandResult probe(String script) throws ConnectionException { throw new UnsupportedOperationException(); }
    @Override public String user() { throw new UnsupportedOperationException(); }
    @Override public String home() { throw new UnsupportedOperationException(); }
}
