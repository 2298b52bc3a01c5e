#!/bin/sh
# Fills fuzz/corpus/<target>/ with realistic starting inputs: the third-party corpus beside the
# checkout (../shared/corpus), the test fixtures, patches of this repository's own history, and
# the generated seeds under fuzz/seeds/. Run from anywhere; the corpus folders are not committed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
shared=${COUNTERSIGN_CORPUS:-$repo/../shared/corpus}
corpus=$here/corpus

copy() { # target, files…
  target=$1; shift
  mkdir -p "$corpus/$target"
  for f in "$@"; do
    [ -f "$f" ] || continue
    # Small inputs fuzz fastest; the fuzzer grows them when it needs to.
    [ "$(wc -c < "$f")" -le 65536 ] || continue
    cp "$f" "$corpus/$target/$(echo "$f" | sed 's|[/ ]|_|g' | tail -c 120)"
  done
}

copy patch "$repo/tests/fixtures/hostile.diff"
mkdir -p "$corpus/patch"
for rev in $(git -C "$repo" rev-list --max-count=40 HEAD); do
  git -C "$repo" format-patch -1 --stdout "$rev" | head -c 65536 > "$corpus/patch/git-$rev.patch"
done
copy plan "$repo/tests/fixtures/sample-plan.json" $(find "$shared" -name '*.json' | grep -i -e plan -e tfplan -e test_inputs/data)
copy hcl $(find "$shared" -name '*.tf' -o -name '*.tfvars' -o -name '*.hcl' | sort | head -300)
copy yaml $(find "$shared" -name '*.yaml' -o -name '*.yml' | sort | head -300)
copy attestation "$here"/seeds/attestation/*
copy session_log "$here"/seeds/session_log/*
