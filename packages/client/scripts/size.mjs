// `pnpm --filter @volley/client size`: the size of each browser bundle (raw, gzip -9,
// brotli at its highest quality) next to socket.io-client's dist/socket.io.min.js, the
// reference of the size budget (socket.io.min.js at most 0.7x its gzip size), and whether
// the budget is met. `-- --where` adds where the bytes of socket.io.min.js go, read from its
// source map: per package and per source file, the minified bytes and the gzip bytes the
// bundle would lose without them.
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

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** The fields of one source map segment (base64 VLQ). */
function decodeSegment(segment) {
  const fields = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = BASE64.indexOf(char);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return fields;
}

/**
 * Where the bytes of a minified bundle go: for each source of its map, the characters of
 * the bundle it produced, and how many gzip bytes the bundle loses when they are left out.
 * The gzip shares overlap (gzip finds repeats across sources), so they do not add up to
 * the total exactly.
 */
export function attribute(file) {
  const code = readFileSync(file, "utf8");
  const map = JSON.parse(readFileSync(`${file}.map`, "utf8"));
  const lines = code.split("\n");
  // the source index of every character ("(none)" where the map says nothing)
  const owners = lines.map((line) => new Array(line.length).fill("(none)"));
  let source = 0;
  map.mappings.split(";").forEach((mapped, row) => {
    let column = 0;
    const segments = [];
    for (const segment of mapped.split(",").filter(Boolean)) {
      const fields = decodeSegment(segment);
      column += fields[0];
      if (fields.length > 1) source += fields[1];
      segments.push([column, fields.length > 1 ? map.sources[source] : "(none)"]);
    }
    segments.forEach(([start, name], i) => owners[row].fill(name, start, segments[i + 1]?.[0] ?? lines[row].length));
  });
  const gzip = (text) => gzipSync(text, { level: 9 }).length;
  const total = gzip(code);
  const raw = new Map();
  for (const row of owners) for (const name of row) raw.set(name, (raw.get(name) ?? 0) + 1);
  const without = (names) =>
    lines.map((line, row) => [...line].filter((_, column) => !names.has(owners[row][column])).join("")).join("\n");
  // The map's sources are relative to dist/: "../src/…" here, "../../<package>/src/…" beside.
  const display = (name) => (name.startsWith("../src/") ? `client/${name.slice(3)}` : name.replace(/^(\.\.\/)+/, ""));
  const packageOf = (name) => display(name).split("/")[0];
  const files = [...raw].map(([name, bytes]) => ({ name: display(name), source: name, raw: bytes, gzip: total - gzip(without(new Set([name]))) }));
  const packages = new Map();
  for (const { source, raw: bytes } of files) {
    const entry = packages.get(packageOf(source)) ?? { raw: 0, sources: new Set() };
    entry.raw += bytes;
    entry.sources.add(source);
    packages.set(packageOf(source), entry);
  }
  const byPackage = [...packages].map(([name, { raw: bytes, sources }]) => ({ name, raw: bytes, gzip: total - gzip(without(sources)) }));
  const bySize = (a, b) => b.raw - a.raw;
  return { total, packages: byPackage.sort(bySize), files: files.sort(bySize) };
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
  if (process.argv.includes("--where")) {
    const { packages, files } = attribute(fileURLToPath(new URL("../dist/socket.io.min.js", import.meta.url)));
    const table = (title, rows) => [
      `\n| ${title} | minified | gzip share |`,
      "| --- | ---: | ---: |",
      ...rows.map((row) => `| ${row.name} | ${row.raw} B | ${row.gzip} B |`),
    ];
    console.log([...table("socket.io.min.js by package", packages), ...table("by source file", files)].join("\n"));
  }
}
