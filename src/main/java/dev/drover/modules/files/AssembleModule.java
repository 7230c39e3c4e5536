package dev.drover.modules.files;

import dev.drover.connection.CommandResult;
import dev.drover.connection.ConnectionException;
import dev.drover.connection.ShellQuote;
import dev.drover.module.Args;
import dev.drover.module.Change;
import dev.drover.module.Diff;
import dev.drover.module.FileState;
import dev.drover.module.HostView;
import dev.drover.module.Module;
import dev.drover.module.ModuleContext;
import dev.drover.module.ModuleException;
import dev.drover.module.ModuleSpec;
import dev.drover.module.Param;
import dev.drover.module.ParamType;
import dev.drover.module.Plan;
import dev.drover.module.WriteFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * ansible.builtin.assemble: the regular files of a directory (on the host by default; on the
 * controller with {@code remote_src: false}), in name order, concatenated into dest as Ansible
 * 2.14 does (a newline after a fragment that lacks one, the unescaped {@code delimiter} between
 * fragments, {@code regexp} on names, {@code ignore_hidden}). One probe reads every fragment; the
 * write is copy's (validate, backup, attributes). Unlike Ansible, whose assemble is skipped in
 * check mode, drover forecasts it like any file write.
 */
public final class AssembleModule implements Module {
    private static final ModuleSpec SPEC;

    static {
        List<Param> params = new ArrayList<>(List.of(
                Param.required("src", ParamType.PATH),
                Param.required("dest", ParamType.PATH),
                Param.of("delimiter", ParamType.STR),
                Param.of("remote_src", ParamType.BOOL).withDefault(true),
                Param.of("regexp", ParamType.STR),
                Param.of("ignore_hidden", ParamType.BOOL).withDefault(false),
                Param.of("decrypt", ParamType.BOOL).withDefault(true),
                Param.of("follow", ParamType.BOOL).withDefault(false)));
        params.addAll(TextEdit.commonParams());
        SPEC = new ModuleSpec("assemble", List.of(), params, null, false);
    }

    @Override
    public ModuleSpec spec() {
        return SPEC;
    }

    @Override
    public Plan plan(ModuleContext ctx) throws ModuleException, ConnectionException {
        Args a = ctx.args();
        String src = a.requireStr("src");
        String dest = FileSupport.expand(ctx, a.requireStr("dest"));
        Pattern regexp = null;
        if (a.str("regexp") != null) {
            try {
                regexp = PyRegex.compile(a.str("regexp"), 0);
            } catch (ModuleException e) {
                throw new ModuleException("Invalid Regexp (" + e.getMessage() + ") in \"" + a.str("regexp") + "\"");
            }
        }
        String validate = a.str("validate");
        if (validate != null && !validate.contains("%s")) {
            throw new ModuleException("validate must contain %s: " + validate);
        }
        TreeMap<String, byte[]> fragments;
        String srcValue;
        if (a.bool("remote_src")) {
            srcValue = FileSupport.expand(ctx, src);
            fragments = remoteFragments(ctx.host(), FileSupport.stripSlash(srcValue));
        } else {
            Path local = ctx.findLocalFile(src, "files");
            if (!Files.isDirectory(local)) {
                throw new ModuleException("Source (" + local + ") is not a directory");
            }
            srcValue = local.toString();
            fragments = localFragments(local);
        }
        byte[] content = assemble(fragments, a.str("delimiter"), regexp, a.bool("ignore_hidden"));
        String checksum = WriteFile.sha1(content);

        HostView host = ctx.host();
        FileState target = a.bool("follow") ? FileSupport.follow(host, dest) : host.file(dest);
        if (target.isDirectory()) {
            throw new ModuleException("Destination " + dest + " is a directory");
        }
        Plan.Builder plan = Plan.builder().value("src", srcValue).value("dest", dest)
                .value("checksum", checksum).value("md5sum", md5(content)).value("msg", "OK");
        String mode = a.mode("mode");
        String owner = a.str("owner");
        String group = a.str("group");
        List<Change> changes = new ArrayList<>();
        if (target.isFile() && checksum.equals(target.sha1())) {
            FileSupport.attributes(ctx, target, mode, owner, group, false).ifPresent(changes::add);
        } else {
            String parent = FileSupport.parent(dest);
            if (parent != null && host.kindFollow(parent) == FileState.Kind.ABSENT) {
                throw new ModuleException("Destination directory " + parent + " does not exist");
            }
            WriteFile write = new WriteFile(target.exists() ? target.path() : dest, content, mode, owner, group,
                    FileSupport.replaced(target));
            boolean backup = a.bool("backup") && target.exists();
            changes.add(validate != null || backup ? new InstallFile(write, validate, backup) : write);
            if (ctx.wantsDiff()) {
                String before = target.isFile() ? host.read(target.path()).map(FileInstaller::text).orElse("") : "";
                plan.diff(new Diff(dest, dest, before, FileInstaller.text(content)));
            }
        }
        if (changes.isEmpty()) {
            return Plan.nothing("dest is as assembled", plan.build().values());
        }
        changes.forEach(plan::change);
        List<Change> planned = List.copyOf(changes);
        return plan.reason("assemble " + srcValue + " into " + dest)
                .mapper((values, results) -> TextEdit.results(values, planned, results, dest)).build();
    }

    /** Ansible's assemble_from_fragments over name-sorted fragments. */
    static byte[] assemble(TreeMap<String, byte[]> fragments, String delimiter, Pattern regexp, boolean ignoreHidden) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean delimit = false;
        boolean addNewline = false;
        byte[] delim = delimiter == null || delimiter.isEmpty() ? null : unescape(delimiter);
        for (Map.Entry<String, byte[]> f : fragments.entrySet()) {
            if (regexp != null && !regexp.matcher(f.getKey()).find()) {
                continue;
            }
            if (ignoreHidden && f.getKey().startsWith(".")) {
                continue;
            }
            if (addNewline) {
                out.write('\n');
            }
            if (delimit && delim != null) {
                out.writeBytes(delim);
                if (delim.length == 0 || delim[delim.length - 1] != '\n') {
                    out.write('\n');
                }
            }
            byte[] c = f.getValue();
            out.writeBytes(c);
            delimit = true;
            addNewline = !(c.length > 0 && c[c.length - 1] == '\n');
        }
        return out.toByteArray();
    }

    /** Python's codecs.escape_decode: \n, \t, \\, \xHH, octal escapes. */
    static byte[] unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i++) {
            if (b[i] != '\\' || i + 1 >= b.length) {
                out.write(b[i]);
                continue;
            }
            char n = (char) b[++i];
            switch (n) {
                case 'n' -> out.write('\n');
                case 't' -> out.write('\t');
                case 'r' -> out.write('\r');
                case '\\' -> out.write('\\');
                case '\'' -> out.write('\'');
                case '"' -> out.write('"');
                case 'a' -> out.write(7);
                case 'b' -> out.write(8);
                case 'f' -> out.write(12);
                case 'v' -> out.write(11);
                case '\n' -> {
                }
                case 'x' -> {
                    if (i + 2 < b.length) {
                        out.write(Integer.parseInt(new String(b, i + 1, 2, StandardCharsets.US_ASCII), 16));
                        i += 2;
                    } else {
                        out.write('\\');
                        out.write('x');
                    }
                }
                default -> {
                    if (n >= '0' && n <= '7') {
                        int j = i;
                        int v = 0;
                        while (j < b.length && j < i + 3 && b[j] >= '0' && b[j] <= '7') {
                            v = v * 8 + (b[j] - '0');
                            j++;
                        }
                        out.write(v & 0xff);
                        i = j - 1;
                    } else {
                        out.write('\\');
                        out.write(n);
                    }
                }
            }
        }
        return out.toByteArray();
    }

    /** The regular files directly in {@code dir} on the host (links followed), by name; earlier steps of a check run first. */
    private static TreeMap<String, byte[]> remoteFragments(HostView host, String dir) throws ConnectionException, ModuleException {
        FileState d = host.fileFollow(dir);
        if (!d.exists()) {
            throw new ModuleException("Source (" + dir + ") does not exist");
        }
        if (!d.isDirectory()) {
            throw new ModuleException("Source (" + dir + ") is not a directory");
        }
        TreeMap<String, byte[]> out = new TreeMap<>(AssembleModule::compareCodePoints);
        // a directory this check run would create answers nothing here (cd fails): its files come below
        CommandResult r = host.probe("cd -- " + ShellQuote.quote(dir) + " || exit 3; for f in * .*; do"
                + " [ -f \"$f\" ] || continue; printf '%s' \"$f\" | base64 -w0; printf ' '; base64 -w0 < \"$f\"; echo; done");
        for (String line : r.out().split("\n")) {
            int sp = line.indexOf(' ');
            if (sp > 0) {
                out.put(new String(Base64.getDecoder().decode(line.substring(0, sp)), StandardCharsets.UTF_8),
                        Base64.getDecoder().decode(line.substring(sp + 1)));
            }
        }
        for (String p : host.pendingBelow(dir)) {
            String parent = FileSupport.parent(p);
            if (p.equals(dir) || parent == null || !parent.equals(dir)) {
                continue;
            }
            String name = FileSupport.basename(p);
            FileState f = host.fileFollow(p);
            if (f.isFile()) {
                out.put(name, host.read(p).orElse(new byte[0]));
            } else {
                out.remove(name);
            }
        }
        return out;
    }

    private static TreeMap<String, byte[]> localFragments(Path dir) throws ModuleException {
        TreeMap<String, byte[]> out = new TreeMap<>(AssembleModule::compareCodePoints);
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                if (Files.isRegularFile(p)) {
                    out.put(p.getFileName().toString(), Files.readAllBytes(p));
                }
            }
        } catch (IOException e) {
            throw new ModuleException("could not read " + dir + ": " + e.getMessage());
        }
        return out;
    }

    /** Python's sorted() on str: by code point. */
    private static int compareCodePoints(String x, String y) {
        int i = 0;
        int j = 0;
        while (i < x.length() && j < y.length()) {
            int a = x.codePointAt(i);
            int b = y.codePointAt(j);
            if (a != b) {
                return Integer.compare(a, b);
            }
            i += Character.charCount(a);
            j += Character.charCount(b);
        }
        return Integer.compare(x.length() - i, y.length() - j);
    }

    private static String md5(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
        } catch (NoSuchAlgorithmException e) {
            return null;
        }
    }
}
