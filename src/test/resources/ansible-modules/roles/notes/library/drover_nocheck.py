#!/usr/bin/python
# A module without check mode support: Ansible's module code skips it in check mode.
from ansible.module_utils.basic import AnsibleModule

module = AnsibleModule(argument_spec=dict(path=dict(type='path', required=True)))
open(module.params['path'], 'a').close()
module.exit_json(changed=True)
