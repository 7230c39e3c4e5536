package dev.drover.testing;

/**
 * A TEST STAND-IN for podman's quadlet generator: podman 4.3.1 (Debian 12) has no quadlet and
 * {@code podman run} fails in this sandbox, so containers cannot run here. {@link #SCRIPT} is a
 * small shell script that does what quadlet does with the unit files: it turns each
 * {@code NAME.container} into {@code NAME.service}, {@code NAME.network} into
 * {@code NAME-network.service}, {@code NAME.volume} into {@code NAME-volume.service}, each a
 * {@code Type=oneshot}, {@code RemainAfterExit=yes}, {@code ExecStart=/bin/true} service keeping the
 * file's {@code [Unit]} Requires=/After=/Wants= and adding Requires= + After= for its Network= and
 * Volume= quadlets (a file whose {@code [Service]} section has its own {@code ExecStart=} keeps that
 * section instead: tests of units that fail); with {@code -dryrun} it prints {@code ---UNIT---} and the unit, as quadlet does;
 * a {@code .container} without {@code Image=} is rejected with quadlet's message. Used by
 * QuadletRunTest and VocalyxDeployTest.
 */
public final class QuadletStandIn {
    private QuadletStandIn() {
    }

    public static final String SCRIPT = """
            #!/bin/sh
            # drover's TEST STAND-IN for podman's quadlet generator (this host's podman 4.3.1 has none): see dev.drover.testing.QuadletStandIn.
            dryrun=; out=
            for a in "$@"; do case "$a" in -dryrun|--dryrun) dryrun=1 ;; -*) ;; *) [ -z "$out" ] && out=$a ;; esac; done
            dirs=${QUADLET_UNIT_DIRS:-$HOME/.config/containers/systemd}
            rc=0
            for d in $(echo "$dirs" | tr ':' ' '); do
              for f in "$d"/*.container "$d"/*.network "$d"/*.volume; do
                [ -f "$f" ] || continue
                name=$(basename "$f"); base=${name%.*}; kind=${name##*.}
                case $kind in container) unit=$base.service ;; *) unit=$base-$kind.service ;; esac
                if [ "$kind" = container ] && ! grep -q '^Image=' "$f"; then
                  echo "quadlet-generator[$$]: converting \\"$name\\": no Image or Rootfs key specified" >&2; rc=1; continue
                fi
                deps=$( { sed -n 's/^Network=\\([^:]*\\)\\.network.*/\\1-network.service/p' "$f"
                          sed -n 's/^Volume=\\([^:]*\\)\\.volume:.*/\\1-volume.service/p' "$f"; } | tr '\\n' ' ')
                body=$(printf '[Unit]\\nSourcePath=%s\\n' "$f"
                       awk '/^\\[/{s=$0; next} s=="[Unit]" && /^(Description|Requires|After|Wants)=/' "$f"
                       [ -n "$deps" ] && printf 'Requires=%s\\nAfter=%s\\n' "$deps" "$deps"
                       svc=$(awk '/^\\[/{s=$0; next} s=="[Service]"' "$f")
                       if printf '%s\\n' "$svc" | grep -q '^ExecStart='; then printf '[Service]\\n%s\\n' "$svc"
                       else printf '[Service]\\nType=oneshot\\nRemainAfterExit=yes\\nExecStart=/bin/true\\n'; fi)
                if [ -n "$dryrun" ]; then printf -- '---%s---\\n%s\\n\\n' "$unit" "$body"
                else printf '%s\\n' "$body" > "$out/$unit"; fi
              done
            done
            exit $rc
            """;

    /**
     * Writes the stand-in as {@code dir/quadlet} and a user generator
     * {@code /run/systemd/user-generators/drover-test-quadlet-USER} that runs it for {@code user}
     * only (a user manager runs every user generator); returns the generator's path, which the
     * caller removes afterwards.
     */
    public static java.nio.file.Path install(java.nio.file.Path dir, String user) throws java.io.IOException {
        java.nio.file.Path bin = java.nio.file.Files.createDirectories(dir);
        java.nio.file.Files.setPosixFilePermissions(bin, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        java.nio.file.Path standin = bin.resolve("quadlet");
        java.nio.file.Files.writeString(standin, SCRIPT);
        java.nio.file.Files.setPosixFilePermissions(standin, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        java.nio.file.Path generators = java.nio.file.Files.createDirectories(java.nio.file.Path.of("/run/systemd/user-generators"));
        java.nio.file.Path userGenerator = generators.resolve("drover-test-quadlet-" + user);
        java.nio.file.Files.writeString(userGenerator, "#!/bin/sh\n# drover test: the quadlet stand-in, for " + user + " only\n"
                + "[ \"$(id -un)\" = " + user + " ] || exit 0\nexec " + standin + " -user \"$@\"\n");
        java.nio.file.Files.setPosixFilePermissions(userGenerator, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        return userGenerator;
    }
}
