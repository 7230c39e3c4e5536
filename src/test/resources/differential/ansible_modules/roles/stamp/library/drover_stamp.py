#!/usr/bin/python
# Writes a file with the given text, idempotently, with check mode support.
import os

from ansible.module_utils.basic import AnsibleModule


def main():
    module = AnsibleModule(argument_spec=dict(path=dict(type='path', required=True),
                                              text=dict(type='str', required=True)),
                           supports_check_mode=True)
    path, text = module.params['path'], module.params['text']
    before = open(path).read() if os.path.exists(path) else None
    changed = before != text
    if changed and not module.check_mode:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w') as f:
            f.write(text)
    module.exit_json(changed=changed, path=path)


if __name__ == '__main__':
    main()
