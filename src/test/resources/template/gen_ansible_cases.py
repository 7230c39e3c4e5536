# Regenerates ansible-text-cases.jsonl from ansible-cases.txt with ansible-core's own Templar:
#   /usr/bin/python3 gen_ansible_cases.py ansible-cases.txt ansible-text-cases.jsonl
import sys, json
from ansible.template import Templar
from ansible.parsing.dataloader import DataLoader
out = open(sys.argv[2], 'w')
for line in open(sys.argv[1]):
    line = line.rstrip("\n")
    if not line: continue
    tmpl, _, v = line.partition("\t")
    tmpl = tmpl.replace("\\n", "\n") if "indent" in tmpl or "splitlines" in tmpl else tmpl
    vars = json.loads(v) if v else {}
    t = Templar(loader=DataLoader(), variables=vars)
    text = "x" + tmpl
    try:
        r = t.template(text)
        out.write(json.dumps({"t": text, "v": vars, "e": str(r)}) + "\n")
    except Exception as e:
        print("ERR", tmpl, e, file=sys.stderr)
