package dev.drover.modules.ansible;

import java.nio.charset.StandardCharsets;

/**
 * A module as ansible-core's {@code modify_module} packs it, built once per module per run.
 *
 * @param style  Ansible's module style: {@code new} (an AnsiballZ wrapper), {@code old} (key=value
 *               args file), {@code non_native_want_json} (JSON args file), {@code binary}
 * @param data   the wrapper (new) or the module as Ansible would send it (shebang set)
 * @param sentinel for {@code new}: the Python literal in {@code data} that stands for the task's arguments
 * @param shebang the module file's own interpreter line without {@code #!} (the wrapper's is
 *               Ansible's guess), or null
 * @param error  why it could not be packed (then the task fails with it), or null
 */
public record Pack(String style, byte[] data, String sentinel, String shebang, String error) {

    static Pack failed(String error) {
        return new Pack(null, new byte[0], null, null, error);
    }

    /** The wrapper with one task's {@code ANSIBLE_MODULE_ARGS} (JSON) in place of the sentinel. */
    byte[] withArgs(String argsJson) {
        String text = new String(data, StandardCharsets.UTF_8);
        int at = text.indexOf(sentinel);
        String params = Json.pythonLiteral("{\"ANSIBLE_MODULE_ARGS\": " + argsJson + "}");
        return (text.substring(0, at) + params + text.substring(at + sentinel.length())).getBytes(StandardCharsets.UTF_8);
    }
}
