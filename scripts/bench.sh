#!/usr/bin/env bash
# Times whole commands on the synthetic 50 000-line change with hyperfine (apt-get install
# hyperfine), against git diff (the floor) and delta (cargo install git-delta) when present.
# The in-process numbers come from `cargo bench`.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=${BENCH_REPO:-/tmp/countersign-bench50k}
cargo build --release --quiet
[ -d "$repo/.git" ] || cargo run --release --quiet --example synth_repo -- "$repo"
bin=$PWD/target/release/countersign
cmds=(
  "$bin show main..feature --color never --no-pager"
  "$bin show main..feature --color always --no-pager"
  "git --no-pager diff main...feature"
)
if command -v delta >/dev/null; then
  cmds+=("sh -c 'git --no-pager diff main...feature | delta --no-gitconfig --paging=never'")
fi
cd "$repo"
hyperfine --warmup 1 --output=null "${cmds[@]}"
