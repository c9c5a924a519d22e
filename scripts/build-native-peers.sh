#!/usr/bin/env bash
# Builds the native benchmark and test peers (talib, tulind) in node_modules with the Node
# headers installed on this machine, for package managers that skip their install scripts.
# Tests and benches that use them skip them when they are not built.
set -euo pipefail
cd "$(dirname "$0")/.."
gyp="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")/node_modules/node-gyp/bin/node-gyp.js"
[ -f "$gyp" ] || gyp="$(npm root -g)/npm/node_modules/node-gyp/bin/node-gyp.js"
nodedir="$(dirname "$(dirname "$(command -v node)")")"
[ -f "$nodedir/include/node/node_api.h" ] || nodedir=/usr
abi="node-v$(node -p process.versions.modules)-$(node -p process.platform)-$(node -p process.arch)"

if ! node -e "require('talib')" 2>/dev/null; then
  (cd node_modules/talib && node ./src/lib/build.js && node "$gyp" configure --nodedir="$nodedir" && node "$gyp" build -j 1 --nodedir="$nodedir")
fi
if ! node -e "require('tulind')" 2>/dev/null; then
  (cd node_modules/tulind && node "$gyp" configure --nodedir="$nodedir" --module_name=tulind --module_path="../lib/binding/Release/$abi" \
    && node "$gyp" build -j 1 --nodedir="$nodedir" --module_name=tulind --module_path="../lib/binding/Release/$abi")
fi
node -e "require('talib'); require('tulind'); console.log('talib and tulind are built')"
