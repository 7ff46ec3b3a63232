// Summaries of what `--profile` leaves in profiles/: where the CPU time goes (self and
// inclusive time per function and self time per file, from a V8 .cpuprofile) and where the
// heap goes (self size and count per constructor from a .heapsnapshot, per connection).
//
//   node src/profile-summary.mjs <file.cpuprofile | file.heapsnapshot> [connections]
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const IDLE = new Set(["(idle)", "(program)", "(root)"]);

/** Shortens a script URL to package + path (or a repo-relative path). */
function shortUrl(url) {
  if (url === "") return "(native)";
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) return url.slice(nm + "node_modules/".length);
  const packages = url.indexOf("/packages/");
  if (packages >= 0) return url.slice(packages + 1);
  return url.replace(/^file:\/\//, "");
}

const pct = (part, whole) => `${((100 * part) / whole).toFixed(1).padStart(5)}%`;

/** Top functions by self time and by inclusive time, and files by self time. */
export function summarizeCpuProfile(file, top = 30) {
  const profile = JSON.parse(readFileSync(file, "utf8"));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map(); // node id -> µs
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
  }
  const keyOf = (node) => {
    const f = node.callFrame;
    return `${f.functionName || "(anonymous)"}  ${shortUrl(f.url)}:${f.lineNumber + 1}`;
  };
  let busy = 0;
  const selfByKey = new Map();
  const selfByFile = new Map();
  for (const [id, micros] of self) {
    const node = byId.get(id);
    if (IDLE.has(node.callFrame.functionName)) continue;
    busy += micros;
    selfByKey.set(keyOf(node), (selfByKey.get(keyOf(node)) ?? 0) + micros);
    const fileKey = node.callFrame.url === "" ? node.callFrame.functionName : shortUrl(node.callFrame.url);
    selfByFile.set(fileKey, (selfByFile.get(fileKey) ?? 0) + micros);
  }
  // inclusive time: a node's self time plus its subtree, counted once per function per stack
  const inclusive = new Map();
  const walk = (node, onStack) => {
    let total = self.get(node.id) ?? 0;
    const key = keyOf(node);
    const first = !onStack.has(key);
    if (first) onStack.add(key);
    for (const childId of node.children ?? []) total += walk(byId.get(childId), onStack);
    if (first) {
      onStack.delete(key);
      if (!IDLE.has(node.callFrame.functionName)) inclusive.set(key, (inclusive.get(key) ?? 0) + total);
    }
    return total;
  };
  walk(profile.nodes[0], new Set());
  const list = (map, n) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([key, micros]) => `  ${pct(micros, busy)}  ${(micros / 1000).toFixed(1).padStart(8)} ms  ${key}`)
      .join("\n");
  return [
    `busy (not idle) ${(busy / 1000).toFixed(0)} ms`,
    `self time by function:\n${list(selfByKey, top)}`,
    `self time by file:\n${list(selfByFile, 20)}`,
    `inclusive time by function (volley packages only):\n${list(new Map([...inclusive].filter(([k]) => k.includes("packages/") && !k.includes("node_modules"))), top)}`,
  ].join("\n\n");
}

/** Top constructors (node type + name) by retained self size, with count per connection. */
export function summarizeHeapSnapshot(file, connections = 1, top = 30) {
  const snapshot = JSON.parse(readFileSync(file, "utf8"));
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf("type");
  const nameAt = fields.indexOf("name");
  const sizeAt = fields.indexOf("self_size");
  const groups = new Map();
  let total = 0;
  const nodes = snapshot.nodes;
  for (let i = 0; i < nodes.length; i += width) {
    const type = types[nodes[i + typeAt]];
    const name = type === "string" || type === "concatenated string" || type === "sliced string" ? "(strings)" : snapshot.strings[nodes[i + nameAt]];
    const key = `${type}  ${name}`;
    const size = nodes[i + sizeAt];
    total += size;
    const group = groups.get(key) ?? { count: 0, size: 0 };
    group.count++;
    group.size += size;
    groups.set(key, group);
  }
  const rows = [...groups]
    .sort((a, b) => b[1].size - a[1].size)
    .slice(0, top)
    .map(
      ([key, g]) =>
        `  ${(g.size / 1024).toFixed(0).padStart(7)} KB  ${String(g.count).padStart(7)} ×  ` +
        `${(g.count / connections).toFixed(1).padStart(6)}/conn  ${(g.size / connections).toFixed(0).padStart(6)} B/conn  ${key}`,
    );
  return [`total self size ${(total / 1024).toFixed(0)} KB (whole heap, including the baseline)`, ...rows].join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, connections] = process.argv.slice(2);
  if (file === undefined) {
    console.error("usage: node src/profile-summary.mjs <file.cpuprofile | file.heapsnapshot> [connections]");
    process.exit(2);
  }
  console.log(file.endsWith(".heapsnapshot") ? summarizeHeapSnapshot(file, Number(connections ?? 1)) : summarizeCpuProfile(file));
}
