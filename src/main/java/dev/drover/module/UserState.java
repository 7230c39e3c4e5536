package dev.drover.module;

import java.util.List;

/** A user account as {@code getent passwd} and {@code id} report it. */
public record UserState(String name, int uid, int gid, String group, String comment, String home,
                        String shell, List<String> groups) {
}
