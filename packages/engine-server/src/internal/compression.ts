import { deflate, gzip, type ZlibOptions } from "node:zlib";

export type ContentEncoding = "gzip" | "deflate";

/**
 * Picks gzip or deflate from an Accept-Encoding header (q-values honoured, `*` accepted),
 * or undefined when neither is acceptable.
 */
export function negotiateEncoding(header: string | undefined): ContentEncoding | undefined {
  if (header === undefined || header === "") return undefined;
  let best: ContentEncoding | undefined;
  let bestQ = 0;
  let wildcardQ = -1;
  const explicit = new Map<string, number>();
  for (const part of header.split(",")) {
    const [rawName = "", ...params] = part.split(";");
    const name = rawName.trim().toLowerCase();
    let q = 1;
    for (const param of params) {
      const [key, value] = param.split("=");
      if (key?.trim() === "q" && value !== undefined) q = Number(value.trim());
    }
    if (!Number.isFinite(q)) q = 0;
    if (name === "*") wildcardQ = q;
    else explicit.set(name, q);
  }
  for (const encoding of ["gzip", "deflate"] as const) {
    const q = explicit.get(encoding) ?? (wildcardQ >= 0 ? wildcardQ : 0);
    if (q > bestQ) {
      best = encoding;
      bestQ = q;
    }
  }
  return best;
}

/** Compresses a response body. */
export function compress(
  encoding: ContentEncoding,
  data: string | Buffer,
  options: ZlibOptions,
  callback: (err: Error | null, result: Buffer) => void,
): void {
  (encoding === "gzip" ? gzip : deflate)(data, options, callback);
}
