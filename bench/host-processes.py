# Counts the processes run under the host shell (a /bin/sh exec'd with no arguments) in an
# strace -f log: prints their number (the shell itself not counted) and the programs.
import re,sys
# parent links from the clone/fork results, the successful execs per pid (an exec strace shows
# unfinished is counted when it resumes with 0); host = the execs of the shell's descendants
parent={}; execs=[]; pending={}
for line in open(sys.argv[1]):
    m=re.match(r'(\d+)\s+(.*)',line)
    if not m: continue
    pid=int(m.group(1)); rest=m.group(2)
    c=re.match(r'(?:(?:clone3?|v?fork)\(|<\.\.\. (?:clone3?|v?fork) resumed>).*\)\s*=\s*(\d+)',rest)
    if c: parent[int(c.group(1))]=pid; continue
    e=re.match(r'execve\("([^"]+)", \[(.*?)\](.*)',rest)
    if e:
        if e.group(3).rstrip().endswith('<unfinished ...>'): pending[pid]=(pid,e.group(1),e.group(2))
        elif re.search(r'= 0$', e.group(3).rstrip()): execs.append((pid,e.group(1),e.group(2)))
        continue
    r=re.match(r'<\.\.\. execve resumed>.*= 0$',rest.rstrip())
    if r and pid in pending: execs.append(pending.pop(pid))
shells=set()
for pid,path,args in execs:
    if path.endswith('/sh') and args.strip() == '"'+path+'"':
        shells.add(pid)
def under(pid):
    while pid is not None:
        if pid in shells: return True
        pid=parent.get(pid)
    return False
host=[(p,x) for p,x,a in execs if under(p) and 'jspawnhelper' not in x]
from collections import Counter
c=Counter(x.split('/')[-1] for p,x in host)
print(len(host)-len(shells), "processes:", dict(c))
