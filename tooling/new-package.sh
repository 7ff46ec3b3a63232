#!/usr/bin/env bash
# Lays down an empty package: tooling/new-package.sh <folder> "<description>" [dom]
set -euo pipefail
name="$1"; description="$2"; lib="${3:-}"
dir="packages/$name"
mkdir -p "$dir/src" "$dir/test/unit" "$dir/test/integration" "$dir/test/types"
cat > "$dir/package.json" <<JSON
{
  "name": "@volley/$name",
  "version": "0.0.0",
  "description": "$description",
  "license": "MIT",
  "type": "module",
  "exports": {
    ".": {
      "import": { "types": "./dist/index.d.ts", "default": "./dist/index.js" },
      "require": { "types": "./dist/index.d.cts", "default": "./dist/index.cjs" }
    },
    "./package.json": "./package.json"
  },
  "main": "./dist/index.cjs",
  "module": "./dist/index.js",
  "types": "./dist/index.d.cts",
  "files": ["dist"],
  "sideEffects": false,
  "engines": { "node": ">=20" },
  "publishConfig": { "access": "public" },
  "scripts": {
    "build": "rollup -c --silent",
    "typecheck": "tsc -p tsconfig.json",
    "lint": "node ../../tooling/check-package.mjs",
    "test": "jest"
  }
}
JSON
if [ "$lib" = "dom" ]; then libs='["ES2022", "DOM"]'; else libs='["ES2022"]'; fi
cat > "$dir/tsconfig.json" <<JSON
{
  "extends": "../../tsconfig.base.json",
  "compilerOptions": { "lib": $libs },
  "include": ["src", "test", "bench"]
}
JSON
cat > "$dir/rollup.config.mjs" <<'JS'
import { createConfig } from "../../tooling/rollup.mjs";

export default createConfig(import.meta.url);
JS
cat > "$dir/jest.config.cjs" <<'JS'
module.exports = require("../../tooling/jest-preset.cjs")(__dirname);
JS
