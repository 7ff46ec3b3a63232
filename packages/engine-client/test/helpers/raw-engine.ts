// A hand-played Engine.IO server for the cases the real one never produces: silence after
// the handshake, garbage, requests left hanging.
import type { IncomingMessage, ServerResponse } from "node:http";
import { startRaw, type RawFixture } from "./servers";

export interface RawEngineBehaviour {
  /** The body of the handshake response (default: a valid open packet). */
  handshake?: string;
  /** What to answer to polls after the handshake; undefined leaves them hanging. */
  poll?: () => string | undefined;
  /** Whether to leave the handshake request hanging. */
  hangHandshake?: boolean;
}

export const handshakePacket = (fields: Record<string, unknown> = {}): string =>
  "0" + JSON.stringify({ sid: "raw-sid", upgrades: [], pingInterval: 40, pingTimeout: 40, maxPayload: 1e6, ...fields });

export async function startRawEngine(behaviour: RawEngineBehaviour = {}): Promise<RawFixture & { requests: string[] }> {
  const requests: string[] = [];
  const hanging: ServerResponse[] = [];
  const fixture = await startRaw((request: IncomingMessage, response: ServerResponse) => {
    requests.push(`${request.method} ${request.url}`);
    const url = new URL(request.url ?? "/", "http://x");
    request.resume();
    if (request.method === "POST") {
      request.on("end", () => response.end("ok"));
      return;
    }
    if (!url.searchParams.has("sid")) {
      if (behaviour.hangHandshake === true) return void hanging.push(response);
      return void response.end(behaviour.handshake ?? handshakePacket());
    }
    const answer = behaviour.poll?.();
    if (answer === undefined) hanging.push(response);
    else response.end(answer);
  });
  return { ...fixture, requests };
}
