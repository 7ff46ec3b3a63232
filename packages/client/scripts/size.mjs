// `pnpm --filter @volley/client size`: the size of each browser bundle (raw, gzip -9,
// brotli at its highest quality) next to socket.io-client's dist/socket.io.min.js, the
// reference of the size budget (socket.io.min.js at most 0.7x its gzip size).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { constants, brotliCompressSync, gzipSync } from "node:zlib";

export const BUNDLES = [
  "socket.io.js",
  "socket.io.min.js",
  "socket.io.esm.min.js",
  "socket.io.msgpack.min.js",
  "socket.io.websocket.min.js",
];

/** The gzip budget of socket.io.min.js, as a share of socket.io-client's. */
export const GZIP_BUDGET = 0.7;

/** Raw, gzip -9 and brotli (quality 11) sizes of a file, in bytes. */
export function measure(file) {
  const body = readFileSync(file);
  return {
    raw: body.length,
    gzip: gzipSync(body, { level: 9 }).length,
    brotli: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

/** Every row of the table: our bundles, then the reference. */
export function sizes() {
  const require = createRequire(import.meta.url);
  // the file is not in socket.io-client's exports map: found beside its package.json
  const reference = measure(require.resolve("socket.io-client/package.json").replace(/package\.json$/, "dist/socket.io.min.js"));
  const rows = BUNDLES.map((name) => ({ name, ...measure(fileURLToPath(new URL(`../dist/${name}`, import.meta.url))) }));
  return { rows, reference: { name: "socket.io-client socket.io.min.js", ...reference } };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { rows, reference } = sizes();
  const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
  const ratio = (value, of) => `${(value / of).toFixed(2)}x`;
  const lines = [
    "| bundle | raw | gzip -9 | brotli | gzip vs socket.io.min.js |",
    "| --- | ---: | ---: | ---: | ---: |",
    ...[...rows, reference].map(
      (row) => `| ${row.name} | ${kb(row.raw)} | ${kb(row.gzip)} | ${kb(row.brotli)} | ${ratio(row.gzip, reference.gzip)} |`,
    ),
  ];
  console.log(lines.join("\n"));
  const min = rows.find((row) => row.name === "socket.io.min.js");
  const budget = Math.floor(reference.gzip * GZIP_BUDGET);
  console.log(`\nbudget: socket.io.min.js gzip ${min.gzip} B, at most ${budget} B (${GZIP_BUDGET}x): ${min.gzip <= budget ? "met" : "NOT met"}`);
}
