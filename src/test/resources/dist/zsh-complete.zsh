# TarballIT: completes `drover mod<TAB>` and `drover run --che<TAB>` in an interactive zsh under a pseudo-terminal
# (zsh/zpty), with the _drover under test first on fpath; exit 1 when a completion does not appear or errs.
# usage: zsh -f t2.zsh BINDIR FPATHDIR
setopt extendedglob
zmodload zsh/zpty
zpty z 'zsh -f -i'
zpty -w z "PS1='> '; PATH=$1:\$PATH; fpath=($2 \$fpath); autoload -U compinit; compinit -u -D"
out=''
want() {
  local chunk deadline=$(( SECONDS + 40 ))
  while (( SECONDS < deadline )); do
    while zpty -r -t z chunk; do out+=$chunk; done
    [[ $out == *"command not found"* ]] && { print -r -- "error while completing $1: ${(V)out}"; return 1 }
    [[ ${out//$'\e'\[[0-9;?]#[a-zA-Z]/} == *$1* ]] && { print -r -- "completed: $1"; out=''; return 0 }
    sleep 0.2
  done
  print -r -- "not completed: $1; the terminal showed: ${(V)out}"; return 1
}
zpty -w -n z $'drover mod\t'
want modules || exit 1
zpty -w -n z $'\x15drover run --che\t'
want --check || exit 1
zpty -w -n z $'\x15'
zpty -d z
