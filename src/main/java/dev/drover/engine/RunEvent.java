package dev.drover.engine;

import dev.drover.yaml.Location;
import java.nio.file.Path;
import java.util.List;

/** What the engine tells its listeners, in order. Every output format is a listener. */
public sealed interface RunEvent {

    record PlaybookStarted(Path playbook, boolean check, boolean diff) implements RunEvent {
    }

    /** A play (or one serial batch of it) begins; {@code location} is where the play is written, or null. */
    record PlayStarted(String name, List<String> hosts, Location location) implements RunEvent {
        public PlayStarted(String name, List<String> hosts) {
            this(name, hosts, null);
        }
    }

    /** No host matched the play's pattern (Ansible: "skipping: no hosts matched"). */
    record NoHostsMatched(String play) implements RunEvent {
    }

    /** A task (or handler) begins; {@code kind} is TASK or RUNNING HANDLER. */
    record TaskStarted(String name, boolean handler, Location location, String action) implements RunEvent {
    }

    /** A loop item finished on a host (printed as it completes). */
    record ItemDone(TaskResult item, boolean noLog, boolean showDiff) implements RunEvent {
    }

    /** A task finished on a host. */
    record HostDone(TaskResult result, boolean noLog, boolean showDiff, boolean retrying) implements RunEvent {
    }

    /** until/retries: an attempt failed and another follows. */
    record Retrying(String host, String task, int retriesLeft, TaskResult attempt) implements RunEvent {
    }

    /** include_tasks took a file for some hosts. */
    record Included(String file, List<String> hosts) implements RunEvent {
    }

    /** any_errors_fatal or max_fail_percentage ended the play for every host (Ansible: "NO MORE HOSTS LEFT"). */
    record NoMoreHosts() implements RunEvent {
    }

    record Warning(String message) implements RunEvent {
    }

    /** A line an action shows as it runs (pause's "Pausing for 3 seconds", async's "ASYNC POLL on …"). */
    record Display(String text) implements RunEvent {
    }

    /**
     * What a host's running step waits for, as its module says while it runs ("building vocalyx-api
     * (step 3/7)", "waiting for vocalyx-postgres.service: activating"). Only the progress listener
     * shows it, on a terminal; nothing else depends on it.
     */
    record Progress(String host, String task, String text) implements RunEvent {
    }

    /**
     * A check run that writes a plan: what the modules read of {@code host} (key → digest and what
     * it is), emitted for each host before {@link PlaybookFinished}.
     */
    record HostReadsRecorded(String host, java.util.Map<String, HostReads.Read> reads) implements RunEvent {
    }

    /** The run is over; the recap, in host order. */
    record PlaybookFinished(List<HostStats> recap, boolean interrupted) implements RunEvent {
    }
}
