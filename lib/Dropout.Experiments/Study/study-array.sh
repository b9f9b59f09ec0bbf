#!/usr/bin/env bash
#SBATCH --job-name=dropout-study
#
# The dropout-probability study as a Slurm job array: each array task trains one slice (shard) of the (pair, seed) runs
# and writes its own results file; one merge after the array puts them together.
#
#   # the array: task K of N trains shard K/N into DIR/shard-K-of-N.csv, with one worker per CPU Slurm gives it
#   sbatch --array=1-N --cpus-per-task=C study-array.sh [--dir DIR] [--shards N] [study options...]
#   # the merge, once every task has succeeded: DIR/merged.csv
#   sbatch --dependency=afterok:JOBID study-array.sh --merge [--dir DIR] [study-merge options...]
#
# study options are the study command's own and are passed on unchanged (`Dropout.Cli study --help`): --pairs or --grid,
# --seeds, --epochs, --train-limit, --test-limit, --hidden, --model, --threads, ...; without any, the study's defaults
# (the source's 11 pairs and the baseline, 3 seeds, 10 epochs). The script sets --shard, --out and --workers itself.
#   --dir DIR    where the shards go (env STUDY_DIR; default artifacts/study/array in the repository); relative to the
#                folder you submit from
#   --shards N   how many shards (env STUDY_SHARDS; default the array's task count). Give it when you rerun single
#                tasks (sbatch --array=3 ... --shards 8), where the array's own count is 1.
#   --merge      merge DIR's shards into DIR/merged.csv (or --out CSV) instead of training; refuses to merge while a shard
#                is missing, unfinished, or was made with other arguments.
# The array's task ids are the shard numbers 1..N. A task that fails or is cancelled keeps its finished runs; submit it
# again with the same arguments (sbatch --array=K ... --shards N ...) and it trains only the rest.
# The built command line is looked for in the repository this script belongs to (Slurm runs a copy of the script, so the
# job asks Slurm where the original is; DROPOUT_REPO overrides); build it once with `bash .ci/setup`.
set -euo pipefail

fail() { echo "study-array: error: $*" >&2; exit 2; }
for a in "$@"; do
  case "$a" in -h|--help) sed -n '4,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;; esac
done

# --- the repository and its built command line -------------------------------------------------------------------------
# Sets repo (the folder with Dropout.Notebooks.sln) and script (this file in it, as the user names it to sbatch).
repo_of() { [ -n "$1" ] && [ -f "$1/Dropout.Notebooks.sln" ] && (cd "$1" && pwd); }
find_repo() {
  script=${BASH_SOURCE[0]}
  if [ -n "${DROPOUT_REPO:-}" ]; then
    repo=$(repo_of "$DROPOUT_REPO") || fail "DROPOUT_REPO=$DROPOUT_REPO holds no Dropout.Notebooks.sln"
    return
  fi
  local tried="$(dirname "$script")/../../.."
  repo=$(repo_of "$tried") && return
  # Under Slurm this file is a copy in slurmd's spool folder; the job's record names the submitted script.
  if [ -n "${SLURM_JOB_ID:-}" ]; then
    local submitted
    submitted=$(scontrol show job "$SLURM_JOB_ID" 2>&1 | sed -n 's/^ *Command=//p' | head -n 1) || true
    [ $# -eq 0 ] || submitted=${submitted%" $*"} # Command= is the script's path and its arguments
    if [ -n "$submitted" ] && repo=$(repo_of "$(dirname "$submitted")/../../.."); then script=$submitted; return; fi
    tried+=", ${submitted:-(scontrol show job $SLURM_JOB_ID named no Command)}"
  fi
  local d=${SLURM_SUBMIT_DIR:-$PWD}
  tried+=", $d and the folders above it"
  while [ "$d" != / ] && [ -n "$d" ]; do repo=$(repo_of "$d") && return; d=$(dirname "$d"); done
  fail "cannot find the repository (the folder with Dropout.Notebooks.sln) this script belongs to (looked at $tried); set DROPOUT_REPO to it"
}
find_repo "$@"
cli="$repo/lib/Dropout.Cli/bin/Release/net10.0/Dropout.Cli.dll"
command -v dotnet >/dev/null 2>&1 || fail "dotnet is not on PATH in this job; install the .NET 10 SDK where the job runs, or put it on PATH before sbatch (sbatch passes your environment on)"
[ -f "$cli" ] || fail "the command line is not built: $cli is missing. Build it once, in a folder the nodes share: cd $repo && bash .ci/setup (or dotnet build Dropout.Notebooks.sln -c Release)"

# --- arguments ---------------------------------------------------------------------------------------------------------
dir=${STUDY_DIR:-$repo/artifacts/study/array}
shards=${STUDY_SHARDS:-}
merge=false
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) [ $# -ge 2 ] || fail "--dir needs a folder"; dir=$2; shift 2 ;;
    --dir=*) dir=${1#--dir=}; shift ;;
    --shards) [ $# -ge 2 ] || fail "--shards needs a count"; shards=$2; shift 2 ;;
    --shards=*) shards=${1#--shards=}; shift ;;
    --merge) merge=true; shift ;;
    --shard|--shard=*|--workers|--workers=*) fail "$1 is set by this script (--shard from the array task, --workers from the CPUs Slurm gives it); leave it out" ;;
    *) args+=("$1"); shift ;;
  esac
done
[ -n "$dir" ] || fail "--dir is empty"
mkdir -p "$dir" || fail "cannot create $dir"
dir=$(cd "$dir" && pwd)

# The arguments that define the study, one per line: every task of one study has the same ones.
plan_text() { if [ ${#args[@]} -gt 0 ]; then printf '%s\n' "${args[@]}"; fi; }

# --- the merge, after the array ----------------------------------------------------------------------------------------
if $merge; then
  shopt -s nullglob
  files=("$dir"/shard-*-of-*.csv)
  [ ${#files[@]} -gt 0 ] || fail "no shards (shard-K-of-N.csv) in $dir"
  n=$(basename "${files[0]}" .csv); n=${n##*-of-}
  for f in "${files[@]}"; do
    m=$(basename "$f" .csv); m=${m##*-of-}
    [ "$m" = "$n" ] || fail "$dir holds shards of a $n-way and a $m-way split; keep one study per folder"
  done
  [ -z "$shards" ] || [ "$shards" = "$n" ] || fail "--shards $shards, but $dir holds shards of a $n-way split"
  inputs=()
  missing=""
  first_plan="$dir/shard-1-of-$n.args"
  for k in $(seq 1 "$n"); do
    base="$dir/shard-$k-of-$n"
    if [ ! -f "$base.done" ]; then missing+=" $k"; continue; fi
    cmp -s "$base.args" "$first_plan" || fail "shard $k of $n was made with other study arguments than shard 1 ($base.args, $first_plan); keep one study per folder"
    inputs+=("$base.csv")
  done
  if [ -n "$missing" ]; then
    rerun=$(tr '\n' ' ' < "$first_plan" 2>/dev/null | sed 's/ $//' || true)
    fail "shard(s)$missing of $n in $dir did not finish (no .done file): their task failed, was cancelled, or is still running. Rerun each with the same arguments, e.g. sbatch --array=$(echo $missing | tr ' ' ',') --cpus-per-task=C $script --dir $dir --shards $n $rerun; then merge again"
  fi
  out_given=false
  for a in ${args[@]+"${args[@]}"}; do case "$a" in --out|--out=*) out_given=true ;; esac; done
  $out_given || args+=(--out "$dir/merged.csv")
  echo "study-array: merging the $n shards of $dir"
  exec dotnet "$cli" study-merge "${inputs[@]}" ${args[@]+"${args[@]}"}
fi

# --- one array task: one shard -----------------------------------------------------------------------------------------
[ -n "${SLURM_ARRAY_TASK_ID:-}" ] || fail "not a Slurm array task (no SLURM_ARRAY_TASK_ID): submit it with sbatch --array=1-N; elsewhere run the study command with --shard K/N yourself (see the README)"
k=$SLURM_ARRAY_TASK_ID
[ -n "$shards" ] || shards=${SLURM_ARRAY_TASK_COUNT:-}
[[ "$shards" =~ ^[1-9][0-9]*$ ]] || fail "the shard count must be a positive whole number; got '${shards}' (--shards N or STUDY_SHARDS)"
shopt -s nullglob
for f in "$dir"/shard-*-of-*.csv; do
  m=$(basename "$f" .csv); m=${m##*-of-}
  [ "$m" = "$shards" ] || fail "$dir holds shards of a $m-way split, and this task is one of $shards: to rerun a task of that study give --shards $m (a rerun's own array has fewer tasks), or choose another --dir"
done
shopt -u nullglob
[ "$k" -ge 1 ] && [ "$k" -le "$shards" ] || fail "array task $k is not a shard of 1..$shards: the array's task ids are the shard numbers (sbatch --array=1-$shards)"

base="$dir/shard-$k-of-$shards"
# A shard that holds runs is resumed only with the arguments that made them (the study itself checks only the settings).
if [ -f "$base.args" ] && [ -f "$base.csv" ] && [ "$(wc -l < "$base.csv")" -gt 1 ]; then
  plan_text | cmp -s - "$base.args" || fail "$base.csv holds runs of a study with other arguments ($(tr '\n' ' ' < "$base.args" | sed 's/ $//')); give the same ones to resume it, or choose another --dir"
else
  plan_text > "$base.args"
fi
rm -f "$base.done"

# One worker per CPU Slurm gives the task (each worker trains one run at a time on --threads torch threads, default 1).
cpus=${SLURM_CPUS_PER_TASK:-${SLURM_CPUS_ON_NODE:-$(nproc)}}
threads=1
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    --threads) threads=${args[i + 1]:-1} ;;
    --threads=*) threads=${args[i]#--threads=} ;;
  esac
done
[[ "$threads" =~ ^[1-9][0-9]*$ ]] || threads=1
workers=$((cpus / threads)); [ "$workers" -ge 1 ] || workers=1

echo "study-array: task $k of $shards (job ${SLURM_JOB_ID:-?} on $(hostname)), $workers worker(s) on $cpus CPU(s), writing $base.csv"
dotnet "$cli" study ${args[@]+"${args[@]}"} --shard "$k/$shards" --out "$base.csv" --workers "$workers"
: > "$base.done"
echo "study-array: shard $k of $shards is complete"
