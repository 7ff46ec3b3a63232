// The options only the Node.js transports read (node:http/https polling, `ws`): TLS, `agent`
// and per-message deflate. The Node.js build resolves them with the others; the browser
// builds, whose transports cannot use them, leave them out (and carry none of this code).
import { mergeObjects, type OptionCheck } from "@volley/shared";
import {
  anything,
  boolean,
  DEFAULT_SOCKET_OPTIONS,
  is,
  object,
  resolveSocketOptionsFor,
  TRANSPORT_OPTION_CHECKS,
  type PerMessageDeflateOptions,
  type ResolvedSocketOptions,
  type SocketOptions,
  type TlsOptions,
  type TransportOptionChecks,
} from "../options";

const TLS_KEYS = ["pfx", "key", "passphrase", "cert", "ca", "ciphers", "rejectUnauthorized"] as const;

const checkDeflate: OptionCheck<false | { threshold: number }> = (name, value) => {
  if (value === false) return false;
  const settings = value === true ? {} : object(name, value);
  const threshold = (settings as PerMessageDeflateOptions).threshold ?? DEFAULT_SOCKET_OPTIONS.perMessageDeflate.threshold;
  return { ...settings, threshold: is<number>((v) => (v as number) >= 0 && Number.isFinite(v), "a number >= 0")(`${name}.threshold`, threshold) };
};

/** The options the Node.js transports read: every platform's, plus TLS, `agent` and `perMessageDeflate`. */
export const NODE_TRANSPORT_OPTION_CHECKS: TransportOptionChecks = {
  ...TRANSPORT_OPTION_CHECKS,
  perMessageDeflate: checkDeflate,
  agent: is((value) => value === false || (typeof value === "object" && value !== null), "false or an http.Agent"),
  pfx: anything,
  key: anything,
  passphrase: anything,
  cert: anything,
  ca: anything,
  ciphers: anything,
  rejectUnauthorized: boolean,
};

/**
 * Applies defaults to the options of the Socket constructor and checks them, the options of
 * the Node.js transports included; the TLS options are gathered in `tls` too. `uri`, when
 * given, sets hostname, port, secure and query. Throws {@link InvalidOptionError}.
 */
export function resolveSocketOptions(uri?: string, opts?: SocketOptions): ResolvedSocketOptions {
  const resolved = resolveSocketOptionsFor(NODE_TRANSPORT_OPTION_CHECKS, uri, opts) as ResolvedSocketOptions & TlsOptions;
  const tls: Record<string, unknown> = {};
  for (const key of TLS_KEYS) {
    if (resolved[key] !== undefined) tls[key] = resolved[key];
  }
  return mergeObjects<ResolvedSocketOptions>(resolved, { tls });
}
