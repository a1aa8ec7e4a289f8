#!/bin/bash
# Makes the bundle that run.sh unpacks on a GPU machine that has no Chromium, Node or npm registry:
# Debian's Chromium (one locale, no validation layers) and the shared libraries it loads (not glibc),
# Node 24 from node_modules, Playwright, the built dist/, and the glvnd/Vulkan loader packages.
# Written as .gpu1/part.aa, .gpu2/part.ab, ... (ignored by git): one part per device call, each under
# the device tool's 64 MiB per call with the working tree.
# usage: npm run build && scripts/bench/real-gpu/pack.sh
set -euo pipefail
S=$(mktemp -d)
mkdir -p "$S/chromium/locales" "$S/libs" "$S/node_modules" "$S/gl"
C=/usr/lib/chromium
cp -a $C/{chromium,chrome_crashpad_handler,chrome_100_percent.pak,chrome_200_percent.pak,icudtl.dat} "$S/chromium/"
cp -a $C/{resources.pak,snapshot_blob.bin,v8_context_snapshot.bin,libEGL.so,libGLESv2.so} "$S/chromium/"
cp -a $C/{libvk_swiftshader.so,vk_swiftshader_icd.json,libvulkan.so.1} "$S/chromium/"
cp -a $C/locales/en-US.pak "$S/chromium/locales/"
for f in chromium chrome_crashpad_handler libEGL.so libGLESv2.so libvk_swiftshader.so; do ldd "$C/$f"; done |
  awk '$3 ~ /^\// {print $3}' | sort -u |
  grep -vE '/(libc|libm|libdl|libpthread|librt|libgcc_s|libstdc\+\+|ld-linux-x86-64|libresolv)\.so' |
  xargs -I{} cp -L {} "$S/libs/"
cp -L node_modules/node/bin/node "$S/node"
cp -a node_modules/{playwright-core,playwright,@playwright} "$S/node_modules/"
cp -a dist "$S/dist"
mkdir -p /tmp/amd64/partial
o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
apt-get $o update >/dev/null
(cd "$S/gl" && apt-get $o download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
rm -rf .gpu[0-9]
tar -C "$S" -cf - . | xz -T2 -7 | split -b 50M - /tmp/gpu-part.
i=1
for p in /tmp/gpu-part.*; do mkdir -p ".gpu$i" && mv "$p" ".gpu$i/part.${p##*.}"; i=$((i + 1)); done
# A font and a fontconfig file that names it: that machine has none, and Chromium's renderer needs one.
mkdir -p .gpufonts/fonts && cp /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf .gpufonts/fonts/
printf '<?xml version="1.0"?>\n<fontconfig><dir>/opt/gpufonts/fonts</dir><cachedir>/tmp/fc-cache</cachedir></fontconfig>\n' \
  > .gpufonts/fonts.conf
grep -qx '/.gpu\*/' .git/info/exclude 2>/dev/null || echo '/.gpu*/' >> .git/info/exclude
rm -rf "$S"
ls -la .gpu*/
