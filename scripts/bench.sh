#!/usr/bin/env bash
# Times whole commands on the synthetic inputs and prints a table: median wall time of
# hyperfine runs and peak memory (/usr/bin/time, maximum resident set size), against git diff
# (the floor), delta (`cargo install git-delta`) and bat (`apt-get install bat`) where they
# are installed, and checkov with --checkov (slow: about a minute a run; it must be on the
# PATH, e.g. `pip install checkov` in a virtualenv). The first frame of `review` and the
# arrival of its findings are read from the program itself (COUNTERSIGN_TIMINGS), in a tmux
# window.
#
#   scripts/bench.sh [--checkov] [--runs N]
#
# Needs hyperfine, tmux and GNU time (apt-get install hyperfine tmux time). The in-process
# numbers (key presses, first frame, plan load and evaluation) come from `cargo bench`.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=5
with_checkov=false
while [ $# -gt 0 ]; do
  case $1 in
    --checkov) with_checkov=true ;;
    --runs) runs=$2; shift ;;
    *) echo "usage: scripts/bench.sh [--checkov] [--runs N]" >&2; exit 2 ;;
  esac
  shift
done
work=${BENCH_DIR:-/tmp/countersign-bench}
mkdir -p "$work"
cargo build --release --quiet
bin=$PWD/target/release/countersign
[ -d "$work/lines50k/.git" ] || cargo run --release --quiet --example synth_repo -- "$work/lines50k"
[ -d "$work/files200/.git" ] || cargo run --release --quiet --example synth_repo -- "$work/files200" --files-200
[ -f "$work/plan5k.json" ] || cargo run --release --quiet --example synth_plan -- "$work/plan5k.json"
[ -f "$work/plan50k.json" ] || cargo run --release --quiet --example synth_plan -- "$work/plan50k.json" 50000

# median wall time (s) of `runs` runs of a shell command, in directory $1
median() {
  local dir=$1; shift
  (cd "$dir" && hyperfine --warmup 1 --runs "$runs" --ignore-failure --output=null \
    --export-json "$work/h.json" "$*" >/dev/null 2>&1)
  python3 -c 'import json,sys; print("%.3f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$work/h.json"
}

# peak resident memory (MiB) of one run
peak() {
  local dir=$1; shift
  (cd "$dir" && /usr/bin/time -f %M -o "$work/t.txt" sh -c "$*" >/dev/null 2>&1 || true)
  tail -n 1 "$work/t.txt" | awk '{printf "%.1f", $1/1024}'
}

row() {
  local what=$1 dir=$2; shift 2
  printf '| %s | %s s | %s MiB |\n' "$what" "$(median "$dir" "$*")" "$(peak "$dir" "$*")"
}

# the median of the first frame and of the findings' arrival of `runs` reviews, in ms
review_timings() {
  local label=$1 dir=$2; shift 2
  local first=() found=() memory=()
  for _ in $(seq "$runs"); do
    rm -rf "$work/store" "$work/timings.txt" "$work/review-memory.txt"
    tmux kill-session -t countersign-bench 2>/dev/null || true
    (cd "$dir" && tmux new-session -d -s countersign-bench -x 200 -y 50 \
      "COUNTERSIGN_TIMINGS=$work/timings.txt /usr/bin/time -f %M -o $work/review-memory.txt $bin --store $work/store $*; sleep 30")
    for _ in $(seq 600); do
      grep -q findings_ms "$work/timings.txt" 2>/dev/null && break
      sleep 0.05
    done
    tmux send-keys -t countersign-bench q
    for _ in $(seq 100); do
      [ -s "$work/review-memory.txt" ] && break
      sleep 0.05
    done
    tmux kill-session -t countersign-bench 2>/dev/null || true
    first+=("$(awk '/first_frame_ms/ {print $2}' "$work/timings.txt")")
    found+=("$(awk '/findings_ms/ {print $2}' "$work/timings.txt")")
    memory+=("$(tail -n 1 "$work/review-memory.txt")")
    rm -f "$work/review-memory.txt"
  done
  local mid=$(( (runs - 1) / 2 ))
  local f a m
  f=$(printf '%s\n' "${first[@]}" | sort -n | sed -n "$((mid + 1))p")
  a=$(printf '%s\n' "${found[@]}" | sort -n | sed -n "$((mid + 1))p")
  m=$(printf '%s\n' "${memory[@]}" | sort -n | sed -n "$((mid + 1))p")
  printf '| %s | %s ms | %s ms | %s MiB |\n' "$label" "$f" "$a" "$(awk "BEGIN {printf \"%.1f\", $m / 1024}")"
}

echo "| command | median | peak memory |"
echo "| --- | --- | --- |"
l50=$work/lines50k
row "git diff main...feature (the floor)" "$l50" "git --no-pager diff main...feature"
row "show main..feature --color never" "$l50" "$bin show main..feature --color never --no-pager"
row "show main..feature --color always" "$l50" "$bin show main..feature --color always --no-pager"
row "show main..feature --color always --findings" "$l50" "$bin show main..feature --color always --findings --no-pager"
if command -v delta >/dev/null; then
  row "git diff main...feature | delta" "$l50" "git --no-pager diff main...feature | delta --no-gitconfig --paging=never"
fi
bat=$(command -v bat || command -v batcat || true)
if [ -n "$bat" ]; then
  row "git diff main...feature | bat -l diff" "$l50" "git --no-pager diff main...feature | $bat -l diff --color always --paging never"
fi
row "check main..feature (50 000 lines)" "$l50" "$bin check main..feature --format json"
row "check main..feature (200 files)" "$work/files200" "$bin check main..feature --format json"
row "check --plan plan5k.json" "$work" "$bin check --plan plan5k.json --format json"
row "check --plan plan50k.json" "$work" "$bin check --plan plan50k.json --format json"
if $with_checkov; then
  runs_saved=$runs; runs=3
  row "checkov -f plan5k.json" "$work" "checkov --skip-download -o json -f plan5k.json"
  row "checkov --framework terraform_plan -f plan5k.json" "$work" "checkov --skip-download --framework terraform_plan -o json -f plan5k.json"
  row "checkov -d . (200 files)" "$work/files200" "checkov --skip-download -o json -d ."
  row "checkov --framework terraform -d . (200 files)" "$work/files200" "checkov --skip-download --framework terraform -o json -d ."
  runs=$runs_saved
fi
if command -v tmux >/dev/null; then
  echo
  echo "| review | first frame | findings arrive | peak memory |"
  echo "| --- | --- | --- | --- |"
  review_timings "review main..feature (50 000 lines)" "$l50" review main..feature
  review_timings "review --plan plan5k.json" "$work" review --plan plan5k.json
fi
