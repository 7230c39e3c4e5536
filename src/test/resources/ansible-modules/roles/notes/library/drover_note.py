#!/usr/bin/python
# A small new-style module in a role's library/: writes a note file, idempotently, with check mode
# and diff support, and says which user wrote it and what DROVER_GREETING was in its environment.
import os
import pwd

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.drover_text import signed


def main():
    module = AnsibleModule(argument_spec=dict(path=dict(type='path', required=True),
                                              text=dict(type='str', required=True, no_log=False),
                                              secret=dict(type='str', no_log=True)),
                           supports_check_mode=True)
    path, text = module.params['path'], module.params['text']
    before = open(path).read() if os.path.exists(path) else ''
    changed = before != text
    if changed and not module.check_mode:
        with open(path, 'w') as f:
            f.write(text)
    user = pwd.getpwuid(os.getuid()).pw_name
    module.exit_json(changed=changed, user=user, signed=signed(text, user),
                     greeting=os.environ.get('DROVER_GREETING', ''),
                     diff=dict(before=before, after=text, before_header=path, after_header=path))


if __name__ == '__main__':
    main()
