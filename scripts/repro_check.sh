#!/usr/bin/env bash
# Two clean builds of the current commit must give byte-identical HTML and PDF.
# Each build runs in a fresh clone at the same path (paths could otherwise differ), with the
# clone's own helper package first on the path; the venv of this checkout is reused as it is
# (make -o: not reinstalled, or its editable install would point at the clone).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VENV=${VENV:-$ROOT/.venv}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for n in 1 2; do
  rm -rf "$work/book"
  git clone -q "$ROOT" "$work/book"
  echo "repro: clean build $n of $(git -C "$work/book" rev-parse --short HEAD) ..."
  if ! (cd "$work/book" && PYTHONPATH="$work/book/src" make --no-print-directory -o "$VENV/.installed" book VENV="$VENV" >"$work/build$n.log" 2>&1); then
    tail -30 "$work/build$n.log"; echo "repro: build $n failed" >&2; exit 1
  fi
  mkdir -p "$work/out$n"
  cp -a "$work/book/_build/html" "$work/out$n/html"
  cp "$work/book/_build/latex/karabakh-claims.pdf" "$work/out$n/"
done
status=0
if diff -r -q "$work/out1/html" "$work/out2/html"; then
  echo "repro: HTML identical ($(find "$work/out1/html" -type f | wc -l) files)"
else
  echo "repro: HTML differs (files above)" >&2; status=1
fi
if cmp -s "$work/out1/karabakh-claims.pdf" "$work/out2/karabakh-claims.pdf"; then
  echo "repro: PDF identical ($(stat -c %s "$work/out1/karabakh-claims.pdf") bytes)"
else
  echo "repro: PDF differs" >&2; cmp "$work/out1/karabakh-claims.pdf" "$work/out2/karabakh-claims.pdf" | head -3 >&2 || true; status=1
fi
exit $status
