import type { EncodedPacket, Packet } from "@volley/engine-parser";
import { BaseWebSocket } from "./websocket";

/**
 * The WebSocket transport over the platform's native `WebSocket` (browsers, Deno, Bun,
 * Node.js 22+). Browsers allow no custom headers on a WebSocket handshake: `extraHeaders`
 * and the TLS/agent options do not apply; cookies are the browser's.
 */
export class WebSocket extends BaseWebSocket {
  #ws: globalThis.WebSocket | undefined;

  protected openSocket(uri: string, protocols: readonly string[]): void {
    const Native = (globalThis as { WebSocket?: typeof globalThis.WebSocket }).WebSocket;
    if (typeof Native !== "function") {
      this.reportUnavailable("WebSocket");
      return;
    }
    const ws = protocols.length > 0 ? new Native(uri, [...protocols]) : new Native(uri);
    this.#ws = ws;
    ws.binaryType = "arraybuffer";
    ws.onopen = () => {
      if (this.#ws === ws) this.onOpen();
    };
    ws.onmessage = (event: MessageEvent) => {
      if (this.#ws === ws) this.onData(event.data as string | ArrayBuffer);
    };
    ws.onerror = (event: Event) => {
      if (this.#ws === ws) this.onSocketError(event);
    };
    ws.onclose = (event: CloseEvent) => {
      if (this.#ws === ws) this.onSocketClose(event);
    };
  }

  protected sendFrame(data: EncodedPacket, _packet: Packet): void {
    this.#ws?.send(data as string | ArrayBuffer | ArrayBufferView<ArrayBuffer> | Blob);
  }

  protected closeSocket(): void {
    const ws = this.#ws;
    this.#ws = undefined;
    ws?.close();
  }
}
