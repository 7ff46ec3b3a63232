// The CommonJS build of @volley/server is callable, as socket.io's is:
// `require("@volley/server")(httpServer, options)` gives a Server, and the named exports
// are properties of that function (`require("@volley/server").Server`). The ESM build
// keeps named exports only. Two rollup output plugins do it, one for the .cjs file and one
// for its declarations (.d.cts), so that both describe the same module.

/** What `module.exports` becomes: a function creating a Server, carrying every named export. */
const CJS_FOOTER = [
  "module.exports = Object.assign(function createServer(srv, opts) {",
  "  return new exports.Server(srv, opts);",
  "}, exports);",
].join("\n");

/** Rollup output plugin for the .cjs output. */
export function callableCommonJs() {
  return {
    name: "volley-callable-cjs",
    renderChunk(code, chunk) {
      if (!chunk.isEntry) return null;
      return { code: `${code}\n${CJS_FOOTER}\n`, map: null };
    },
  };
}

import { createRequire } from "node:module";

/** The declarations of the named exports, which the callable module's types re-export. */
const NAMED_TYPES_FILE = "index-exports.d.cts";

/**
 * Rollup output plugin for the .d.cts output: the bundled declarations (ES `export`s) move
 * to `index-exports.d.cts`, and `index.d.cts` becomes `export = createServer`, a function
 * merged with a namespace that re-exports every name, so that
 * `import { Server } from "@volley/server"` still type-checks in CommonJS.
 */
export function callableCommonJsTypes(packageUrl) {
  const requireFromPackage = createRequire(packageUrl);
  return {
    name: "volley-callable-cjs-types",
    generateBundle(_options, bundle) {
      const entry = bundle["index.d.cts"];
      if (entry === undefined || entry.type !== "chunk") throw new Error("callable-cjs: no index.d.cts in the bundle");
      // an import alias cannot name what was exported with `export type`; a declaration
      // file exports types with a plain `export` just as well
      const source = entry.code.replace(/^export type \{/gm, "export {");
      this.emitFile({ type: "asset", fileName: NAMED_TYPES_FILE, source });
      entry.code = exportAssignment(exportedNames(entry.code, requireFromPackage));
    },
  };
}

/**
 * The names a bundled declaration file exports (`export { A, b as B }`, with or without
 * `from`), each with whether it is a type a dependency exports with `export type` (an
 * import alias cannot name those: they get a type alias, which is why they must not be
 * generic). A name re-exported from a dependency is a value if that module has it at run time.
 */
function exportedNames(code, requireFromPackage) {
  const names = [];
  for (const match of code.matchAll(/^export (?:type )?\{([^}]*)\}(?: from ['"]([^'"]+)['"])?;$/gm)) {
    const source = match[2];
    const runtime = source === undefined ? undefined : requireFromPackage(source);
    for (const part of match[1].split(",")) {
      const specifier = part.trim().replace(/^type /, "");
      if (specifier === "") continue;
      const [local, exported = local] = specifier.split(/\s+as\s+/);
      names.push({ name: exported, foreignType: runtime !== undefined && !(local in runtime) });
    }
  }
  for (const required of ["Server", "ServerOptions", "AttachableServer", "EventsMap", "DefaultEventsMap"]) {
    if (!names.some(({ name }) => name === required)) throw new Error(`callable-cjs: ${required} is not exported`);
  }
  return names;
}

function exportAssignment(names) {
  const generics = [
    "ListenEvents extends named.EventsMap = named.DefaultEventsMap",
    "EmitEvents extends named.EventsMap = ListenEvents",
    "ServerSideEvents extends named.EventsMap = named.DefaultEventsMap",
    "SocketData = unknown",
  ].join(", ");
  const server = "named.Server<ListenEvents, EmitEvents, ServerSideEvents, SocketData>";
  return [
    `import * as named from "./${NAMED_TYPES_FILE.replace(/\.d\.cts$/, ".cjs")}";`,
    "",
    "/**",
    ' * `require("@volley/server")(httpServer, options)`: the CommonJS module is a function',
    " * creating a Server, as socket.io's is; every named export is one of its properties.",
    " */",
    `declare function createServer<${generics}>(options?: named.ServerOptions): ${server};`,
    `declare function createServer<${generics}>(server: named.AttachableServer | number | undefined, options?: named.ServerOptions): ${server};`,
    "declare namespace createServer {",
    ...names.map(({ name, foreignType }) =>
      foreignType ? `  export type ${name} = named.${name};` : `  export import ${name} = named.${name};`,
    ),
    "}",
    "export = createServer;",
    "",
  ].join("\n");
}
