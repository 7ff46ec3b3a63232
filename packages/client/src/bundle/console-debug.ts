// What `debug` resolves to in socket.io.js (the unminified bundle): namespaced loggers
// switched on like debug's browser build, by the `debug` key of localStorage read at load
// (e.g. `localStorage.debug = "volley:*"`, `-` to exclude: "volley:*,-volley:engine-client:*").
// They print through console.debug, whose format string takes the %s %d %o of the sources.
// The real `debug` package is CommonJS that reaches `module.exports` at run time; this
// keeps the bundle a plain script.

/** A logger of one namespace. */
export interface Logger {
  (format: string, ...args: unknown[]): void;
  readonly namespace: string;
  enabled: boolean;
}

const setting = readSetting();
const include: RegExp[] = [];
const exclude: RegExp[] = [];
for (const part of setting.split(/[\s,]+/)) {
  if (part === "") continue;
  const excluded = part.startsWith("-");
  const source = (excluded ? part.slice(1) : part).replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*?");
  (excluded ? exclude : include).push(new RegExp(`^${source}$`));
}

function readSetting(): string {
  try {
    return (globalThis as { localStorage?: Storage }).localStorage?.getItem("debug") ?? "";
  } catch {
    return ""; // storage denied (sandboxed frame, privacy mode)
  }
}

/** Creates the logger of `namespace`. */
export default function createDebug(namespace: string): Logger {
  const enabled = include.some((pattern) => pattern.test(namespace)) && !exclude.some((pattern) => pattern.test(namespace));
  const log = ((format: string, ...args: unknown[]) => {
    if (log.enabled) console.debug(`${namespace} ${format}`, ...args);
  }) as Logger;
  Object.defineProperty(log, "namespace", { value: namespace });
  log.enabled = enabled;
  return log;
}
