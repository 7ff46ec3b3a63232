// Summaries of what `--profile` leaves in profiles/: where the CPU time goes (self and
// inclusive time per function and self time per file, from a V8 .cpuprofile) and where the
// heap goes (what the snapshot with N idle connections holds more than the one before them,
// per connection, by constructor / plain-object shape / string).
//
//   node src/profile-summary.mjs <file.cpuprofile>
//   node src/profile-summary.mjs <before.heapsnapshot> <after.heapsnapshot> <connections>
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

/**
 * The package a script URL belongs to: an npm package (`ws`, `socket.io-parser`, …), a
 * Volley package (`@volley/<dir>`), a Node.js built-in module group (`node:streams`), or the
 * bench itself.
 */
function packageOf(url) {
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const [scope, name] = url.slice(nm + "node_modules/".length).split("/");
    return scope.startsWith("@") ? `${scope}/${name}` : scope;
  }
  const packages = /\/packages\/([^/]+)\//.exec(url);
  if (packages !== null) return `@volley/${packages[1]}`;
  if (url.startsWith("node:")) return `node:${url.slice(5).replace(/^internal\//, "").split("/")[0]}`;
  if (url.includes("/bench/src/")) return "bench harness";
  return url;
}

/** Top functions by self time and by inclusive time, and files and packages by self time. */
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
  const selfByPackage = new Map();
  for (const [id, micros] of self) {
    const node = byId.get(id);
    if (IDLE.has(node.callFrame.functionName)) continue;
    busy += micros;
    selfByKey.set(keyOf(node), (selfByKey.get(keyOf(node)) ?? 0) + micros);
    const fileKey = node.callFrame.url === "" ? node.callFrame.functionName : shortUrl(node.callFrame.url);
    selfByFile.set(fileKey, (selfByFile.get(fileKey) ?? 0) + micros);
    const packageKey = node.callFrame.url === "" ? `(native) ${node.callFrame.functionName}` : packageOf(node.callFrame.url);
    selfByPackage.set(packageKey, (selfByPackage.get(packageKey) ?? 0) + micros);
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
    `self time by package:\n${list(selfByPackage, 20)}`,
    `self time by function (volley packages only):\n${list(new Map([...selfByKey].filter(([k]) => k.includes("packages/") && !k.includes("node_modules"))), 15)}`,
    `inclusive time by function (volley packages only):\n${list(new Map([...inclusive].filter(([k]) => k.includes("packages/") && !k.includes("node_modules"))), top)}`,
  ].join("\n\n");
}

/**
 * Groups the nodes of a heap snapshot: strings by their first characters, plain objects by
 * their first property names (so `{ host, connection, … }` shows as a headers object),
 * everything else by node type + constructor / function name.
 */
function groupHeap(file) {
  const snapshot = JSON.parse(readFileSync(file, "utf8"));
  const meta = snapshot.snapshot.meta;
  const fields = meta.node_fields;
  const types = meta.node_types[0];
  const edgeTypes = meta.edge_types[0];
  const width = fields.length;
  const edgeWidth = meta.edge_fields.length;
  const typeAt = fields.indexOf("type");
  const nameAt = fields.indexOf("name");
  const sizeAt = fields.indexOf("self_size");
  const edgeCountAt = fields.indexOf("edge_count");
  const edgeTypeAt = meta.edge_fields.indexOf("type");
  const edgeNameAt = meta.edge_fields.indexOf("name_or_index");
  const { nodes, edges, strings } = snapshot;
  const groups = new Map();
  let total = 0;
  let edgeIndex = 0;
  for (let i = 0; i < nodes.length; i += width) {
    const type = types[nodes[i + typeAt]];
    const name = strings[nodes[i + nameAt]];
    const edgeCount = nodes[i + edgeCountAt];
    let key;
    if (type === "string" || type === "concatenated string" || type === "sliced string") {
      key = `string  ${JSON.stringify(name.slice(0, 24))}${name.length > 24 ? "…" : ""}`;
    } else if (type === "object" && name === "Object") {
      const props = [];
      for (let e = 0; e < edgeCount && props.length < 4; e++) {
        const at = edgeIndex + e * edgeWidth;
        if (edgeTypes[edges[at + edgeTypeAt]] === "property") props.push(strings[edges[at + edgeNameAt]]);
      }
      key = `object  {${props.join(", ")}}`;
    } else {
      key = `${type}  ${name.slice(0, 60)}`;
    }
    edgeIndex += edgeCount * edgeWidth;
    const size = nodes[i + sizeAt];
    total += size;
    const group = groups.get(key) ?? { count: 0, size: 0 };
    group.count++;
    group.size += size;
    groups.set(key, group);
  }
  return { groups, total };
}

/** What `after` holds more than `before`, per connection, by group (largest first). */
export function summarizeHeapDiff(beforeFile, afterFile, connections, top = 40) {
  const before = groupHeap(beforeFile);
  const after = groupHeap(afterFile);
  const diff = [];
  for (const [key, g] of after.groups) {
    const b = before.groups.get(key) ?? { count: 0, size: 0 };
    if (g.size - b.size > 0) diff.push([key, g.count - b.count, g.size - b.size]);
  }
  diff.sort((x, y) => y[2] - x[2]);
  const grown = after.total - before.total;
  const rows = diff
    .slice(0, top)
    .map(
      ([key, count, size]) =>
        `  ${(size / connections).toFixed(0).padStart(6)} B/conn  ${(count / connections).toFixed(2).padStart(6)} ×/conn  ${key}`,
    );
  return [`heap grew ${(grown / 1024).toFixed(0)} KB = ${(grown / connections).toFixed(0)} B per connection (snapshot self sizes)`, ...rows].join("\n");
}

/** Classes whose instances own the memory found under them (nearest one on a root path). */
const OWNER_CLASSES = new Set([
  "IncomingMessage", "WebSocket", "Receiver", "Sender", "Socket", "Client", "WebSocketTransport",
  "Decoder", "Timeout", "EventEmitter", "AckRegistry", "TCP", "Namespace", "Adapter", "SessionAwareAdapter",
  // the clients' (client benchmark): Volley's and socket.io-client's Manager, their websocket transports
  "Manager", "NodeWebSocket", "WS", "Encoder", "Backoff", "HeartbeatMonitor",
]);

/**
 * Which of the classes named Socket an instance is, by its fields (private fields show as
 * `#name` in a snapshot).
 */
function socketKind(fields) {
  if (fields.has("_handle") || fields.has("_sockname") || fields.has("_readableState")) return "net.Socket";
  if (fields.has("handshake")) return "Socket.IO Socket";
  if (fields.has("request")) return "Engine.IO Socket";
  if (fields.has("#nsp") || (fields.has("nsp") && fields.has("io"))) return "Socket.IO client Socket";
  if (fields.has("#transport") || fields.has("transport")) return "Engine.IO client Socket";
  return "Socket (other)";
}

/**
 * Approximate retained size per owner: a breadth-first spanning tree from the GC roots, each
 * node charged to its nearest ancestor that is an instance of OWNER_CLASSES (the classes
 * named Socket are told apart by their fields, see socketKind).
 */
function heapByOwner(file) {
  const s = JSON.parse(readFileSync(file, "utf8"));
  const meta = s.snapshot.meta;
  const W = meta.node_fields.length;
  const EW = meta.edge_fields.length;
  const types = meta.node_types[0];
  const edgeTypes = meta.edge_types[0];
  const count = s.nodes.length / W;
  const first = new Uint32Array(count + 1);
  for (let i = 0, e = 0; i < count; i++) {
    first[i] = e;
    e += s.nodes[i * W + 4] * EW;
    first[i + 1] = e;
  }
  const ownerName = (i) => {
    if (types[s.nodes[i * W]] !== "object") return null;
    const name = s.strings[s.nodes[i * W + 1]];
    if (!OWNER_CLASSES.has(name)) return null;
    if (name !== "Socket") return name;
    const fields = new Set();
    for (let e = first[i]; e < first[i + 1]; e += EW) fields.add(s.strings[s.edges[e + 1]]);
    return socketKind(fields);
  };
  const owner = new Array(count);
  owner[0] = "(not owned: shared, modules, baseline)";
  const queue = new Int32Array(count);
  let head = 0;
  let tail = 0;
  queue[tail++] = 0;
  const sizes = new Map();
  const instances = new Map();
  while (head < tail) {
    const i = queue[head++];
    sizes.set(owner[i], (sizes.get(owner[i]) ?? 0) + s.nodes[i * W + 3]);
    for (let e = first[i]; e < first[i + 1]; e += EW) {
      if (edgeTypes[s.edges[e]] === "weak") continue;
      const to = s.edges[e + 2] / W;
      if (owner[to] !== undefined) continue;
      const own = ownerName(to);
      if (own !== null) instances.set(own, (instances.get(own) ?? 0) + 1);
      owner[to] = own ?? owner[i];
      queue[tail++] = to;
    }
  }
  return { sizes, instances };
}

/** Per connection: how much more each owner class holds with the idle clients than before. */
export function summarizeHeapOwners(beforeFile, afterFile, connections) {
  const before = heapByOwner(beforeFile);
  const after = heapByOwner(afterFile);
  const rows = [...after.sizes]
    .map(([name, size]) => [name, (size - (before.sizes.get(name) ?? 0)) / connections, ((after.instances.get(name) ?? 0) - (before.instances.get(name) ?? 0)) / connections])
    .filter(([, perConn]) => Math.abs(perConn) >= 8)
    .sort((x, y) => y[1] - x[1])
    .map(([name, perConn, inst]) => `  ${perConn.toFixed(0).padStart(6)} B/conn  ${inst.toFixed(2).padStart(5)} instances/conn  ${name}`);
  return ["approximate retained size by owner (nearest owning instance on a path from the roots):", ...rows].join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, second, third] = process.argv.slice(2);
  if (file === undefined) {
    console.error("usage: node src/profile-summary.mjs <file.cpuprofile> | <before.heapsnapshot> <after.heapsnapshot> <connections>");
    process.exit(2);
  }
  if (file.endsWith(".heapsnapshot")) {
    console.log(summarizeHeapOwners(file, second, Number(third ?? 1)));
    console.log(`\n${summarizeHeapDiff(file, second, Number(third ?? 1))}`);
  } else console.log(summarizeCpuProfile(file));
}
