#!/usr/bin/env bash
# How long the study commands take on results files at the README's scale (100,000 runs x 10 epochs = 1,000,000 rows),
# and whether Ctrl+C / SIGTERM is honoured while such a file is read. Prints figures; asserts nothing (no timed test).
#
#   bash lib/Dropout.Cli/Bench/results-file-scale.sh [ROWS]      # ROWS: a multiple of 2,000 (default 1,000,000)
#   CLI_DLL=/elsewhere/Dropout.Cli.dll bash ...                  # another build of the CLI (before/after figures)
#
# Needs the built CLI (dotnet build -c Release). Works in a temporary folder, removed at the end. The files are
# synthetic but exactly what a study writes: a grid of 10 probabilities (100 pairs) x N seeds x 10 epochs, with the
# settings file beside them; two shards of half the seeds each, and the whole. (Train losses are 1 + 2^-epoch, which
# print the same from awk and from the CLI, so the merge can be compared with the whole byte for byte.)
set -euo pipefail
cd "$(dirname "$0")/../../.."
rows=${1:-1000000}
if (( rows % 2000 != 0 || rows < 2000 )); then echo "ROWS must be a positive multiple of 2,000" >&2; exit 2; fi
seeds=$(( rows / 1000 ))
cli=(dotnet "${CLI_DLL:-$PWD/lib/Dropout.Cli/bin/Release/net10.0/Dropout.Cli.dll}")
[ -f "${cli[1]}" ] || { echo "build first: dotnet build Dropout.Notebooks.sln -c Release" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

# One results file: seeds [from, to) of every pair, 10 epochs each, in the order a study appends whole runs.
write() {
  local file=$1 from=$2 to=$3
  awk -v from="$from" -v to="$to" 'BEGIN {
    print "model,p1,p2,seed,epoch,train_loss,train_acc,test_acc,seconds"
    for (a = 0; a < 10; a++) for (b = 0; b < 10; b++) for (s = from; s < to; s++) for (e = 1; e <= 10; e++)
      printf "concise,%s,%s,%d,%d,%.17g,0.8125,0.796875,1.25\n", a / 10, b / 10, s, e, 1 + 2 ^ -e
  }' > "$file"
  cat > "$file.settings.json" <<'JSON'
{
  "model": "concise",
  "hidden": 256,
  "epochs": 10,
  "lr": 0.5,
  "batch_size": 256,
  "train_limit": null,
  "test_limit": null
}
JSON
}

measure() { # label, command...: wall and CPU seconds, peak memory, exit code
  local label=$1; shift
  local start end code=0
  start=$(date +%s.%N)
  /usr/bin/time -f "%U %S %M" -o time.txt "$@" > out.txt 2> err.txt || code=$?
  end=$(date +%s.%N)
  read -r user sys rss < time.txt
  printf "%-58s %7.1f s wall %7.1f s CPU %6.0f MiB peak  exit %d\n" "$label" "$(echo "$end - $start" | bc)" \
    "$(echo "$user + $sys" | bc)" "$(echo "$rss / 1024" | bc)" "$code"
}

echo "results-file scale: $rows rows per whole file ($(( rows / 10 )) runs x 10 epochs), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
write all.csv 0 "$seeds"
write shard-1.csv 0 $(( seeds / 2 ))
write shard-2.csv $(( seeds / 2 )) "$seeds"
echo "files: all.csv $(du -h all.csv | cut -f1), shard-1.csv and shard-2.csv $(du -h shard-1.csv | cut -f1) each"

grid=0,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9
measure "study-merge shard-1.csv shard-2.csv (2 x $(( rows / 2 )) rows)" "${cli[@]}" study-merge shard-1.csv shard-2.csv --out merged.csv
grep -E "^(read|sorting|merged)" out.txt | sed 's/^/    /'
cmp -s <(tail -n +2 merged.csv | sort) <(tail -n +2 all.csv | sort) && echo "    merged.csv holds exactly the rows of all.csv" || echo "    merged.csv DIFFERS from all.csv"
measure "study resume over all.csv, nothing to train ($rows rows)" "${cli[@]}" study --grid "$grid" --seeds "$seeds" --epochs 10 --out all.csv
grep -E "^(read|study:)" out.txt | sed 's/^/    /'

# SIGTERM while the file is read: wait for the first progress line (2 s into the read), then signal.
: > sig.out
"${cli[@]}" study --grid "$grid" --seeds "$seeds" --epochs 10 --out all.csv > sig.out 2> sig.err &
pid=$!
while kill -0 "$pid" 2> /dev/null && ! grep -q "^reading" sig.out; do sleep 0.1; done
if grep -q "^reading" sig.out; then
  start=$(date +%s.%N)
  kill -TERM "$pid"
  code=0; wait "$pid" || code=$?
  end=$(date +%s.%N)
  printf "%-58s %7.2f s to exit                                  exit %d\n" "SIGTERM while reading all.csv" "$(echo "$end - $start" | bc)" "$code"
  sed 's/^/    /' sig.err
else
  wait "$pid" || true
  echo "SIGTERM while reading: the read ended before its first progress line (under 2 s); nothing to interrupt"
fi
