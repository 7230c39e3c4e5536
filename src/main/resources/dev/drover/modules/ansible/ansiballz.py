# drover's packer: asks ansible-core's own AnsiballZ builder (ansible.executor.module_common) to pack
# modules, once per module per run, on the controller. Reads {"modules": [{"name", "path"}],
# "module_utils": [dirs]} on stdin; prints one JSON object {"packs": [{"style", "data" (base64),
# "sentinel"} | {"error"}]}. A new-style module's wrapper is built with a sentinel in place of the
# task's arguments: drover puts each task's ANSIBLE_MODULE_ARGS there.
import base64
import json
import sys

SENTINEL_ARGS = {"__drover_task_args__": "__drover_task_args__"}


def main():
    request = json.load(sys.stdin)
    from ansible.plugins.loader import module_utils_loader
    for d in request.get("module_utils", []):
        module_utils_loader.add_directory(d)
    from ansible.executor import module_common
    from ansible.parsing.dataloader import DataLoader
    from ansible.template import Templar
    templar = Templar(loader=DataLoader())
    task_vars = {"ansible_python_interpreter": "/usr/bin/python3"}
    sentinel = repr(json.dumps({"ANSIBLE_MODULE_ARGS": SENTINEL_ARGS}))
    packs = []
    for m in request["modules"]:
        try:
            data, style, shebang = module_common.modify_module(
                m["name"], m["path"], dict(SENTINEL_ARGS), templar, task_vars=task_vars,
                module_compression="ZIP_DEFLATED")
            with open(m["path"], "rb") as f:
                source = f.read()
            if style != "new":  # sent as the module file is; drover sets the interpreter per host
                data = source
            elif sentinel.encode() not in data:
                if module_common.REPLACER_JSONARGS in source:  # drover puts each task's JSON in
                    style, data = "jsonargs", source
                else:
                    raise ValueError("drover runs Python, WANT_JSON, old-style, JSON-args and binary"
                                     " modules, not this one (a PowerShell module?)")
            first = source.split(b"\n", 1)[0].strip()
            declared = first[2:].strip().decode("utf-8", "replace") if first.startswith(b"#!") else None
            packs.append({"style": style, "data": base64.b64encode(data).decode("ascii"), "shebang": declared,
                          "sentinel": sentinel if style == "new" else None})
        except Exception as e:  # reported to the task as the module's failure
            packs.append({"error": "%s: %s" % (type(e).__name__, e)})
    json.dump({"packs": packs}, sys.stdout)


main()
