#!/usr/bin/env bash
# Seeds the fuzz corpora from the golden scenario scripts:
#   corpus/console/  one file per console command (a heredoc command keeps
#                    its body and terminator), plus short runs of consecutive
#                    commands so the fuzzer starts from apply-then-inspect
#   corpus/apply/    one file per heredoc body, plus the YAML files beside
#                    the scenarios and the real manifests in tests/k8s-examples
# Files are named by content hash, so running it again adds nothing twice.
set -euo pipefail
cd "$(dirname "$0")"
root=..
mkdir -p corpus/console corpus/apply

put() { # put DIR < content
  local tmp
  tmp=$(mktemp)
  cat >"$tmp"
  if [ -s "$tmp" ]; then
    mv "$tmp" "$1/$(sha1sum "$tmp" | cut -c1-16)"
  else
    rm -f "$tmp"
  fi
}

for kp in "$root"/tests/scenarios/*.kp; do
  work=$(mktemp -d)
  # split into commands: cmd-0001, cmd-0002, ...; heredoc bodies to body-NNNN
  awk -v dir="$work" '
    function flush() { if (cmd != "") { n++; f = sprintf("%s/cmd-%04d", dir, n); printf "%s", cmd > f; close(f) } cmd = "" }
    inhere { cmd = cmd $0 "\n"; if ($0 == word) { inhere = 0; close(b); flush() } else { printf "%s\n", $0 > b } ; next }
    /^[[:space:]]*(#|$)/ { next }
    {
      cmd = $0 "\n"
      if (match($0, /<<-?[ ]*["'\'']?[A-Za-z_]+["'\'']?[ ]*$/)) {
        word = substr($0, RSTART, RLENGTH); gsub(/[<\-"'\'' ]/, "", word)
        inhere = 1; b = sprintf("%s/body-%04d", dir, n + 1)
        next
      }
      flush()
    }
  ' "$kp"
  for f in "$work"/cmd-*; do put corpus/console <"$f"; done
  # runs of three consecutive commands
  cmds=("$work"/cmd-*)
  for ((i = 0; i + 2 < ${#cmds[@]}; i += 3)); do
    cat "${cmds[i]}" "${cmds[i + 1]}" "${cmds[i + 2]}" | put corpus/console
  done
  for f in "$work"/body-*; do
    [ -e "$f" ] && put corpus/apply <"$f"
  done
  rm -rf "$work"
done
for y in "$root"/tests/scenarios/*.yaml "$root"/tests/k8s-examples/*.yaml; do
  put corpus/apply <"$y"
done
echo "corpus/console: $(ls corpus/console | wc -l) files, corpus/apply: $(ls corpus/apply | wc -l) files"
