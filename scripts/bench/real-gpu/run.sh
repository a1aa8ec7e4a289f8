#!/bin/bash
# The real-GPU bench, as run on the device machine (an H200 with no npm registry and no Chromium).
# pack.sh (on the dev machine) makes the bundle: Debian's Chromium with its libraries, Node 24,
# Playwright, the built dist/ and the glvnd/Vulkan loader packages, split into parts that travel one
# per call (with .gpufonts: a font and its fontconfig file). Each call runs `run.sh stage K` (keeps part K
# outside the tree); the last runs `run.sh bench`:
# unpack, probe which Chromium flags give a real adapter, check the kernels and PyTorch parity there, then
# the bench's WebGPU rows (BENCH_ARGS adds bench flags, e.g. --gpu-profile). Everything is written under $OUT (probe.jsonl, check.jsonl, bench.log, browser.json). Finishes within ~5 minutes.
set -u
B=${GPUBENCH_DIR:-/opt/gpubench}
PARTS=/opt/gpubench-parts
if [ "${1:-}" = stage ]; then
  mkdir -p "$PARTS" && cp ".gpu$2"/part.* "$PARTS/" && ls -la "$PARTS"
  cat /etc/os-release | head -2; ldd --version | head -1; which node xz tar python3
  exit 0
fi
set -o pipefail
if [ ! -x "$B/chromium/chromium" ]; then
  mkdir -p "$B" && cat "$PARTS"/part.* | xz -d | tar -C "$B" -xf - || { echo "unpack failed"; exit 3; }
fi
# No fonts on that machine: Chromium's renderer crashed on every page until it had one.
if [ ! -e /etc/fonts/fonts.conf ]; then
  rm -rf /opt/gpufonts && cp -r .gpufonts /opt/gpufonts && export FONTCONFIG_FILE=/opt/gpufonts/fonts.conf
fi
for f in "$B"/gl/*.deb; do dpkg -x "$f" /; done
ldconfig
export LD_LIBRARY_PATH="$B/libs"
export CHROMIUM_PATH="$B/chromium/chromium"
export PATH="$B:$PATH"
if ! ls /usr/share/vulkan/icd.d/nvidia* /etc/vulkan/icd.d/nvidia* >/dev/null 2>&1; then
  export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
  export __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
fi
ln -sfn "$B/node_modules" node_modules
[ -e dist ] || ln -sfn "$B/dist" dist
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv | tee "$OUT/gpu.txt"
ldd "$CHROMIUM_PATH" | grep 'not found' | tee "$OUT/missing-libs.txt"
timeout 90 node scripts/bench/real-gpu/probe.mjs 2>&1 | tee "$OUT/probe.jsonl"
# The first flag set whose adapter is not SwiftShader.
FLAGS=$(node -e '
  const lines = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter((l) => l.startsWith("{"));
  const ok = lines.map((l) => JSON.parse(l)).find((r) => !r.error && r.architecture !== "swiftshader");
  process.stdout.write(ok ? ok.flags : "NONE");' "$OUT/probe.jsonl")
echo "flags: $FLAGS"
[ "$FLAGS" = NONE ] && { echo "no real adapter"; exit 4; }
export BENCH_CHROMIUM_ARGS="$FLAGS --disable-dev-shm-usage"
# Correctness on this GPU first: kernel self-check and PyTorch parity (check.mjs), then the figures.
timeout 150 node scripts/bench/real-gpu/check.mjs 2>&1 | tee "$OUT/check.jsonl"
timeout "${BENCH_SECONDS:-270}" node scripts/bench/bench-browser.mjs --real-gpu --budget "${BENCH_BUDGET:-200}" \
  --presets "${BENCH_PRESETS:-tiny,small,notes}" --timeout 100 ${BENCH_ARGS:-} 2>&1 | tee "$OUT/bench.log"
cp bench-results/browser.json "$OUT/" 2>/dev/null
exit 0
