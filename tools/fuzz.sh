#!/usr/bin/env bash
# Long fuzzing campaigns for SharpFlow's file readers (IDX, safetensors checkpoints, the checkpoint state file, event
# files and records, ONNX parse and import, TFRecord files, Example and SequenceExample parsing, the image decoders).
# The default tests run the same targets for a few hundred mutations
# each; this script runs them for as long as you like.
#
#   tools/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]        coverage-guided: AFL++ with SharpFuzz instrumentation
#   FUZZ_ENGINE=mutate tools/fuzz.sh [RUNS] [TARGET...]   the built-in mutator (no AFL++ needed)
#
# Targets: idx safetensors checkpoint-state checkpoint-index checkpoint-bundle event-file event-record onnx onnx-import tfrecord tfrecord-gzip tfrecord-zlib example single-example sequence-example jpeg png bmp gif image (default: all).
# Output goes to fuzz-out/ (ignored by git): the seed corpus, AFL++'s findings per target, and summary.txt. Every
# crash or hang AFL++ saves is an input that broke a reader's contract; replay one with
#   dotnet fuzz-out/bin/SharpFlow.Fuzz.dll replay TARGET FILE   (uninstrumented: fuzz-out/plain/)
# and turn it into a test in tests/SharpFlow.Tests/Reliability/FuzzRegressionTests.cs.
set -euo pipefail
cd "$(dirname "$0")/.."
engine="${FUZZ_ENGINE:-afl}"
amount="${1:-300}"
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(idx safetensors checkpoint-state checkpoint-index checkpoint-bundle event-file event-record onnx onnx-import tfrecord tfrecord-gzip tfrecord-zlib example single-example sequence-example jpeg png bmp gif image)
out=fuzz-out
mkdir -p "$out"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# An uninstrumented build writes the seed corpus and runs the built-in mutator.
dotnet publish tests/SharpFlow.Fuzz -c Release -o "$out/plain" >/dev/null
if [ "$engine" = mutate ]; then
  for t in "${targets[@]}"; do dotnet "$out/plain/SharpFlow.Fuzz.dll" mutate "$t" --runs "$amount" --findings "$out/findings-mutate"; done | tee "$out/summary.txt"
  exit "${PIPESTATUS[0]}"
fi

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo -n"
command -v afl-fuzz >/dev/null || $SUDO apt-get install -y afl++ >/dev/null
export PATH="$PATH:$HOME/.dotnet/tools"
command -v sharpfuzz >/dev/null || dotnet tool install --global SharpFuzz.CommandLine --version 2.3.0 >/dev/null

rm -rf "$out/corpus" "$out/bin"
dotnet "$out/plain/SharpFlow.Fuzz.dll" corpus "$out/corpus"
# The instrumented copy: the readers' namespaces, the ONNX importer and the protobuf parser it relies on. (The
# instrumented code writes AFL++'s coverage map, so it runs only under afl-fuzz.)
cp -r "$out/plain" "$out/bin"
sharpfuzz "$out/bin/SharpFlow.dll" SharpFlow.Data SharpFlow.Train SharpFlow.Summaries SharpFlow.FileIO SharpFlow.Ops.Image >/dev/null
sharpfuzz "$out/bin/SharpFlow.Onnx.dll" >/dev/null
sharpfuzz "$out/bin/Google.Protobuf.dll" >/dev/null
sharpfuzz "$out/bin/StbImageSharp.dll" >/dev/null

export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1
dotnet="$(command -v dotnet)"
printf '%-18s %12s %10s %8s %8s %6s %s\n' target executions execs/s corpus crashes hangs "coverage" | tee "$out/summary.txt"
status=0
for t in "${targets[@]}"; do
  rm -rf "$out/findings/$t"
  mkdir -p "$out/findings"
  timeout --signal=INT "$((amount + 30))" afl-fuzz -V "$amount" -i "$out/corpus/$t" -o "$out/findings/$t" -t 5000 -m none \
    -- "$dotnet" "$out/bin/SharpFlow.Fuzz.dll" afl "$t" >"$out/findings/$t.log" 2>&1 || true
  stats="$out/findings/$t/default/fuzzer_stats"
  if [ ! -f "$stats" ]; then echo "$t: afl-fuzz did not start; see $out/findings/$t.log"; status=1; continue; fi
  field() { sed -n "s/^$1 *: //p" "$stats"; }
  printf '%-18s %12s %10s %8s %8s %6s %s\n' "$t" "$(field execs_done)" "$(field execs_per_sec)" "$(field corpus_count)" \
    "$(field saved_crashes)" "$(field saved_hangs)" "$(field bitmap_cvg)" | tee -a "$out/summary.txt"
  [ "$(field saved_crashes)" = 0 ] && [ "$(field saved_hangs)" = 0 ] || status=1
done
exit "$status"
