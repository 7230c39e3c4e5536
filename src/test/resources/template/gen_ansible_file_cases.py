# Regenerates ansible-file-cases.jsonl with ansible-core's Templar as the template module calls it:
#   /usr/bin/python3 gen_ansible_file_cases.py ansible-file-cases.jsonl
import sys, json
from ansible.template import Templar
from ansible.parsing.dataloader import DataLoader
cases = [
 ("{% for h in hosts -%}\n{{ h }}\n{%- endfor %}\n", {"hosts": ["a", "b"]}),
 ("[all]\n{% for h in hosts %}\n{{ h }} ansible_host={{ ips[h] }}\n{% endfor %}\n", {"hosts": ["a", "b"], "ips": {"a": "10.0.0.1", "b": "10.0.0.2"}}),
 ("{# comment #}\nkey = {{ value }}\n{% if extra %}\nextra = {{ extra | join(' ') }}\n{% endif %}\nend\n", {"value": 3, "extra": ["x", "y"]}),
 ("  {%- if true %} a {% endif -%}  \nb\n", {}),
 ("{% set items = ['x', 'y'] %}\n{% for i in items %}\n- {{ loop.index }}: {{ i | upper }}\n{% endfor %}", {}),
 ("line1\\nline2 {{ 'a\\tb' }}\n", {}),
 ("{{ d | to_nice_yaml(indent=2) }}", {"d": {"b": [1, 2], "a": "x"}}),
 ("{{ d | to_nice_json(indent=2) }}\n", {"d": {"b": [1, 2], "a": "x"}}),
 ("{% for k, v in d.items() %}\n{{ k }}: {{ v }}\n{% endfor %}\n\n\n", {"d": {"b": [1, 2], "a": "x"}}),
 ("{% macro row(k, v) -%}\n{{ k }}={{ v }}\n{%- endmacro %}\n{{ row('a', 1) }}\n{{ row('b', true) }}\n", {}),
 ("{% if x is defined %}x{% elif y %}y{% else %}z{% endif %}\n", {"y": 1}),
 ("{{ text | indent(4, first=true) }}\n", {"text": "a\nb"}),
 ("{{ '%-10s|' | format('ab') }}{{ '%5.1f' | format(3.14159) }}\n", {}),
 ("{{ name | center(10) }}|\n{{ name | title }}\n", {"name": "web server"}),
]
out = []
for tmpl, vars in cases:
    t = Templar(loader=DataLoader(), variables=vars)
    r = t.do_template(tmpl, preserve_trailing_newlines=True, escape_backslashes=False)
    out.append({"t": tmpl, "v": vars, "e": r})
with open(sys.argv[1], "w") as f:
    for o in out: f.write(json.dumps(o) + "\n")
