# Regenerates ansible-lookup-cases.jsonl from ansible-lookup-cases.txt with ansible-core's own
# Templar, its loader's base directory (and playbook_dir) being lookup-fixture/; that directory's
# absolute path is written as @DIR@ (AnsibleParityTest puts the real one back):
#   cd src/test/resources/template && /usr/bin/python3 gen_ansible_lookup_cases.py ansible-lookup-cases.txt ansible-lookup-cases.jsonl
import sys, json, os
from ansible.template import Templar
from ansible.parsing.dataloader import DataLoader
base = os.path.abspath("lookup-fixture")
out = open(sys.argv[2], 'w')
for line in open(sys.argv[1]):
    line = line.rstrip("\n")
    if not line: continue
    tmpl, _, v = line.partition("\t")
    vars = json.loads(v) if v else {}
    vars["playbook_dir"] = base
    loader = DataLoader()
    loader.set_basedir(base)
    t = Templar(loader=loader, variables=vars)
    text = "x" + tmpl
    try:
        r = str(t.template(text))
        del vars["playbook_dir"]
        out.write(json.dumps({"t": text, "v": vars, "e": r.replace(base, "@DIR@")}) + "\n")
    except Exception as e:
        print("ERR", tmpl, e, file=sys.stderr)
