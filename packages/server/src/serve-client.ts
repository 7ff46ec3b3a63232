// The URLs under which Socket.IO servers serve their client bundle. Volley ships the client
// bundle with @volley/client, not with the server: those URLs get a 404 that says so,
// instead of an Engine.IO "Transport unknown" error that would puzzle whoever reads it.
import type { IncomingMessage, ServerResponse } from "node:http";
import { SERVER_ERROR_CODES } from "./errors";

const BUNDLE_FILE = /^\/socket\.io(\.msgpack)?(\.min|\.esm\.min)?\.js(\.map)?$/;

/** Whether `url` asks for a client bundle under `path`. */
export function isClientBundleRequest(path: string, url: string | undefined): boolean {
  if (url === undefined || !url.startsWith(path)) return false;
  const rest = url.slice(path.length);
  const query = rest.indexOf("?");
  return BUNDLE_FILE.test(query === -1 ? rest : rest.slice(0, query));
}

/** The body of the 404 answer. */
export const CLIENT_BUNDLE_UNAVAILABLE_BODY = Object.freeze({
  code: SERVER_ERROR_CODES.CLIENT_BUNDLE_UNAVAILABLE,
  message:
    "The Socket.IO client bundle is not served by @volley/server: it ships with @volley/client. " +
    "Bundle @volley/client with your application, or serve its dist/ files yourself.",
});

/** Answers a client bundle request with a 404 and a JSON body explaining where the bundle is. */
export function refuseClientBundle(req: IncomingMessage, res: ServerResponse): void {
  const body = JSON.stringify(CLIENT_BUNDLE_UNAVAILABLE_BODY);
  res.writeHead(404, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(body),
    "Cache-Control": "no-store",
  });
  res.end(req.method === "HEAD" ? undefined : body);
}
