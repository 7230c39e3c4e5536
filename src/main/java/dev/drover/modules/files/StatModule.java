package dev.drover.modules.files;

import dev.drover.connection.ConnectionException;
import dev.drover.module.Args;
import dev.drover.module.FileState;
import dev.drover.module.Module;
import dev.drover.module.ModuleContext;
import dev.drover.module.Modes;
import dev.drover.module.ModuleException;
import dev.drover.module.ModuleSpec;
import dev.drover.module.Param;
import dev.drover.module.ParamType;
import dev.drover.module.Plan;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** ansible.builtin.stat: what a path is, in Ansible's {@code stat} dictionary. Never changes anything. */
public final class StatModule implements Module {
    private static final ModuleSpec SPEC = new ModuleSpec("stat", List.of(), List.of(
            Param.required("path", ParamType.PATH).withAliases("dest", "name"),
            Param.of("follow", ParamType.BOOL).withDefault(false),
            Param.of("get_checksum", ParamType.BOOL).withDefault(true),
            Param.of("checksum_algorithm", ParamType.STR).withDefault("sha1")
                    .withAliases("checksum", "checksum_algo")
                    .withChoices("md5", "sha1", "sha224", "sha256", "sha384", "sha512"),
            Param.of("get_mime", ParamType.BOOL).withDefault(true).withAliases("mime", "mime_type", "mime-type"),
            Param.of("get_attributes", ParamType.BOOL).withDefault(true).withAliases("attr", "attributes"),
            Param.of("get_md5", ParamType.BOOL).withDefault(false)), null, false);

    @Override
    public ModuleSpec spec() {
        return SPEC;
    }

    @Override
    public PathProbe pathProbe() {
        return new PathProbe("path", true);
    }

    @Override
    public Plan plan(ModuleContext ctx) throws ModuleException, ConnectionException {
        Args a = ctx.args();
        String path = FileSupport.expand(ctx, a.requireStr("path"));
        boolean checksum = a.bool("get_checksum");
        if (checksum && !"sha1".equals(a.str("checksum_algorithm"))) {
            throw new ModuleException("checksum_algorithm " + a.str("checksum_algorithm")
                    + " is not supported by drover's stat (only sha1)");
        }
        FileState f = a.bool("follow") ? ctx.host().fileFollow(path) : ctx.host().file(path);
        Map<String, Object> st = new LinkedHashMap<>();
        if (!f.exists()) {
            st.put("exists", false);
            return Plan.nothing(path + " does not exist", Map.of("stat", st));
        }
        int mode = Integer.parseInt(f.mode(), 8);
        st.put("exists", true);
        st.put("path", path);
        st.put("mode", f.mode());
        st.put("isdir", f.isDirectory());
        st.put("isreg", f.isFile());
        st.put("islnk", f.isLink());
        st.put("size", f.size());
        st.put("pw_name", f.owner());
        st.put("gr_name", f.group());
        Modes.putPermissionFlags(mode, st);
        if (f.isLink()) {
            st.put("lnk_source", FileSupport.resolveLink(path, f.linkTarget()));
            st.put("lnk_target", f.linkTarget());
        }
        if (checksum && f.isFile() && f.sha1() != null) {
            st.put("checksum", f.sha1());
        }
        return Plan.nothing(path + " exists", Map.of("stat", st));
    }
}
