#!/usr/bin/env bash
# Evident's one entry point: installs what is missing, builds, and runs.
#
#   tools/run.sh demo [--keep] [--seed S] [--sites N]
#                                  the demo district end to end in var/demo: streamed
#                                  over TLS, projected, reported on, and audited
#   tools/run.sh tour              a scripted tour of the evident CLI in var/tour
#   tools/run.sh test [--sanitize|--tsan]  the whole test suite (under ASan+UBSan or TSan);
#                                  the plain run includes 20 s of each fuzz target
#   tools/run.sh fuzz [SECONDS]    every libFuzzer target for SECONDS each (default 600),
#                                  its corpus kept in build-fuzz/corpus between runs
#   tools/run.sh build             install and build only
#   tools/run.sh scale [N]         append N (default 100000) events, verify, and
#                                  print the machine's own Ed25519 rates beside them
#   tools/run.sh bench [N]         the performance suite at N (default 1,000,000) events:
#                                  the machine's ceilings, durable ingest in process and
#                                  over TLS, the PostgreSQL peer, latency, verify, catch-up,
#                                  fan-out, proofs and the rebuild of every view, as one
#                                  table (var/bench/table.md); then the micro-benchmarks
#                                  and the board report's timings. The data sets are
#                                  made once, in minutes, and kept
#   tools/run.sh attack [SECONDS]  the bounded attack harness in var/attack: `evident serve`
#                                  under each attack of issue 23 for SECONDS (default 8)
#                                  beside a well-behaved client, as one table; fails if
#                                  the server dies or a limit does not hold
#   tools/run.sh crash [KILLS]     the kill -9 tests, in process and over TCP, and of the
#                                  projection store's updates and rebuilds, with KILLS
#                                  kills each (default 500)
#   tools/run.sh model [N]         N random districts (default 10000) through the engine and
#                                  through the reference model of docs/metrics.md
#                                  (tests/model); any difference fails, shrunk to a smallest
#                                  district
#   tools/run.sh pictures          the demo district's board report, drawn in
#                                  headless Chromium and by pdftoppm, and the pages
#                                  for people as their browser tests draw them, into docs/
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

packages=(
  build-essential cmake ccache pkg-config openssl
  librocksdb-dev libflatbuffers-dev flatbuffers-compiler libssl-dev
  libboost-dev nlohmann-json3-dev libgtest-dev libgmock-dev libbenchmark-dev
  libcairo2-dev fonts-dejavu-core libspdlog-dev libpq-dev
  clang libclang-rt-14-dev python3 python3-cryptography
  libsodium-dev libkainjow-mustache-dev chromium chromium-driver python3-selenium
)

# axe-core, from the npm registry, for the pages' accessibility check
# (tests/pages/package.json and its lock file pin the version).
install_axe() {
  [ -f "$root/tests/pages/node_modules/axe-core/axe.min.js" ] && return 0
  if ! command -v npm >/dev/null; then install_missing npm; fi
  echo "installing axe-core for the page tests (npm ci)"
  npm ci --prefix "$root/tests/pages" --no-audit --no-fund --loglevel=error
}

install_missing() {  # install_missing [extra packages...]
  local missing=()
  for p in "${packages[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
}

build() {  # build DIR [cmake args...]; only the targets in $targets when set
  local dir=$1
  shift
  local launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  cmake -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" "$@" >/dev/null
  local only=()
  [ -n "${targets:-}" ] && only=(--target $targets)
  cmake --build "$dir" -j2 "${only[@]}"
}

run_test() {
  if [ "${1:-}" = "--sanitize" ]; then
    build "$root/build-sanitize" -DEVIDENT_SANITIZE=address
    LSAN_OPTIONS="suppressions=$root/tests/lsan.supp print_suppressions=0" \
      ctest --test-dir "$root/build-sanitize" --output-on-failure -j2
  elif [ "${1:-}" = "--tsan" ]; then
    build "$root/build-tsan" -DEVIDENT_SANITIZE=thread
    # The crash test measures progress between kills; TSan's slowdown starves it.
    # The model test starts hundreds of engine processes, too slow under TSan;
    # the plain and ASan runs have it. RocksDB is linked as its shared library
    # here, so that tests/tsan.supp can name races between its own
    # (uninstrumented) threads.
    TSAN_OPTIONS="halt_on_error=1 suppressions=$root/tests/tsan.supp" \
      ctest --test-dir "$root/build-tsan" --output-on-failure -j2 \
      -E "CrashTest|ModelTest"
  else
    build_fuzz
    build "$root/build" -DEVIDENT_FUZZ_BUILD="$root/build-fuzz"
    ctest --test-dir "$root/build" --output-on-failure -j2
  fi
}

# The libFuzzer targets: clang, coverage, ASan and UBSan, in a tree of their own.
build_fuzz() {
  CXX=clang++ build "$root/build-fuzz" -DEVIDENT_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++
}

run_fuzz() {
  local seconds=${1:-600} failed=0
  build_fuzz
  for binary in "$root"/build-fuzz/tests/fuzz/*_fuzz; do
    local t
    t=$(basename "$binary" _fuzz)
    echo "== $t: $seconds s"
    "$root/tests/fuzz/run_target.sh" "$root/build-fuzz" "$t" "$seconds" || failed=1
  done
  return $failed
}

run_scale() {
  local n=${1:-100000}
  build "$root/build"
  local evident="$root/build/tools/evident/evident" dir="$root/var/scale"
  rm -rf "$dir" && mkdir -p "$dir"
  "$evident" init --ledger "$dir/ledger" --origin evident.example/scale >/dev/null
  "$root/build/tools/bench/evident-gen-events" --count "$n" --seed 7 >"$dir/events.jsonl"
  echo "== evident append: $n events"
  "$evident" append --ledger "$dir/ledger" --key "$dir/ledger/keys/admin.pem" "$dir/events.jsonl"
  echo "== evident verify"
  "$evident" verify --ledger "$dir/ledger"
  echo "== openssl speed ed25519 (one core, for scale)"
  openssl speed -seconds 3 ed25519 2>/dev/null | tail -2
}

run_bench() {
  local n=${1:-1000000}
  build "$root/build"
  mkdir -p "$root/var"
  local dir="$root/var/bench-projections"
  # The signed ledger of mixed events the views are rebuilt from takes
  # minutes to append; it is kept between runs.
  if [ "$(cat "$dir/events.count" 2>/dev/null)" != "$n" ]; then
    echo "== making the projections' ledger of $n mixed events (once)"
    rm -rf "$dir" && mkdir -p "$dir"
    "$root/build/tools/evident/evident" init --ledger "$dir/ledger" --origin evident.example/bench >/dev/null
    "$root/build/tools/bench/evident-gen-events" --count "$n" --seed 7 --amend 10 >"$dir/events.jsonl"
    "$root/build/tools/evident/evident" append --ledger "$dir/ledger" \
      --key "$dir/ledger/keys/admin.pem" "$dir/events.jsonl" >/dev/null
    rm "$dir/events.jsonl"
    echo "$n" >"$dir/events.count"
  fi
  mkdir -p "$root/var/bench"
  "$root/build/tools/bench/evident-load" all --dir "$root/var/bench" --count "$n" \
    --projection-ledger "$dir/ledger" | tee "$root/var/bench/output.txt"
  sed -n '/^| scenario/,$p' "$root/var/bench/output.txt" >"$root/var/bench/table.md"
  echo "== micro-benchmarks (per event)"
  "$root/build/tools/bench/evident-micro-bench" --benchmark_min_time=1
  echo "== board report over the same $n events: fold, figures, every file (5 runs)"
  local times=() start
  for _ in 1 2 3 4 5; do
    rm -rf "$dir/board"
    start=$(date +%s.%N)
    "$root/build/tools/evident/evident" report board --ledger "$dir/ledger" --fiscal-year 2025 \
      --out "$dir/board" >/dev/null
    times+=("$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f", b - a }')")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{t[NR]=$1} END {printf "report board: median %.2f s (runs: %s)\n", t[3], t[1]" .. "t[5]}'
}

run_crash() {
  build "$root/build"
  EVIDENT_CRASH_KILLS=${1:-500} "$root/build/tests/crash_test"
  EVIDENT_CRASH_KILLS=${1:-500} "$root/build/tests/store_crash_test"
}

run_attack() {
  targets="evident evident-attack" build "$root/build"
  "$root/build/tools/bench/evident-attack" --dir "$root/var/attack" --phase-seconds "${1:-8}"
}

run_model() {
  targets=evident build "$root/build"
  python3 "$root/tests/model/diff.py" --engine "$root/build/tools/evident/evident" \
    --seeds "${1:-10000}" --jobs 2
}

run_pictures() {
  targets=evident build "$root/build"
  local dir="$root/var/pictures"
  rm -rf "$dir"
  "$root/build/tools/evident/evident" demo --plain --dir "$dir" >/dev/null
  # Chromium renders the HTML as a board member's browser would; pdftoppm
  # draws the PDF's first page as a PDF viewer would.
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1000,1900 \
    --screenshot="$root/docs/board-report-html.png" "file://$dir/report/report.html" \
    2>/dev/null
  pdftoppm -png -r 70 -f 1 -l 3 "$dir/report/report.pdf" "$dir/page"
  pdftoppm -png -r 70 -f 1 -l 1 -singlefile "$dir/report/report.pdf" \
    "$root/docs/board-report-pdf"
  echo "wrote docs/board-report-html.png and docs/board-report-pdf.png (pages in $dir)"
  # The comparison with last year and the office's decisions: in the browser,
  # and on the PDF pages where they begin.
  /usr/bin/python3 "$root/tests/pages/report_pictures.py" --report "$dir/report" \
    --out "$root/docs/board-report" since_last_year decisions >/dev/null
  local page first name section
  for name in since-last-year:"Since last year" decisions:"Decisions on the record"; do
    section=${name#*:}
    first=""
    for page in $(seq 1 60); do
      pdftotext -f "$page" -l "$page" "$dir/report/report.pdf" - 2>/dev/null |
        grep -q "^$section" && { first=$page; break; }
    done
    [ -n "$first" ] || { echo "no page begins \"$section\" in the PDF" >&2; return 1; }
    pdftoppm -png -r 70 -f "$first" -l "$first" -singlefile "$dir/report/report.pdf" \
      "$root/docs/board-report-pdf-${name%%:*}"
  done
  echo "wrote docs/board-report-{since_last_year,decisions}.png and docs/board-report-pdf-{since-last-year,decisions}.png"
  # The pages for people, drawn by their browser tests as they check them.
  /usr/bin/python3 "$root/tests/pages/browser_test.py" --evident "$root/build/tools/evident/evident" \
    --screenshots "$dir/pages" >/dev/null
  cp "$dir"/pages/pages-{my-record,site,worklist,board-report,entry,compliance}-1280.png \
    "$dir"/pages/pages-my-record-390.png "$root/docs/"
  echo "wrote docs/pages-*.png"
}

run_demo() {
  targets=evident build "$root/build"
  "$root/build/tools/evident/evident" demo --dir var/demo "$@"
}

run_tour() {
  targets="evident evident-gen-events" build "$root/build"
  bash "$root/tools/tour.sh" "$root/build" "$root/var/tour"
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
  demo) install_missing; run_demo "$@" ;;
  tour) install_missing; run_tour "$@" ;;
  test) install_missing; install_axe; run_test "$@" ;;
  build) install_missing; build "$root/build" ;;
  scale) install_missing; run_scale "$@" ;;
  bench) install_missing postgresql; run_bench "$@" ;;
  crash) install_missing; run_crash "$@" ;;
  attack) install_missing; run_attack "$@" ;;
  fuzz) install_missing; run_fuzz "$@" ;;
  model) install_missing; run_model "$@" ;;
  pictures) install_missing poppler-utils; install_axe; run_pictures "$@" ;;
  *)
    sed -n '2,/^set -euo/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
