package dev.drover.modules.files;

import dev.drover.module.Param;
import dev.drover.module.ParamType;
import java.util.ArrayList;
import java.util.List;

/**
 * Ansible's file common arguments ({@code add_file_common_args}: mode, owner, group, attributes,
 * the SELinux context, unsafe_writes), which every module that writes a file accepts.
 */
public final class FileParams {
    private FileParams() {
    }

    public static List<Param> common() {
        return List.of(
                Param.of("mode", ParamType.MODE),
                Param.of("owner", ParamType.STR),
                Param.of("group", ParamType.STR),
                Param.of("unsafe_writes", ParamType.BOOL).withDefault(false),
                Param.of("attributes", ParamType.STR).withAliases("attr"),
                Param.of("seuser", ParamType.STR), Param.of("serole", ParamType.STR),
                Param.of("setype", ParamType.STR), Param.of("selevel", ParamType.STR));
    }

    /** A module's own parameters followed by the file common arguments. */
    public static List<Param> with(Param... own) {
        List<Param> all = new ArrayList<>(List.of(own));
        all.addAll(common());
        return List.copyOf(all);
    }
}
