import { encodePacket, encodePacketAsync, type EncodedPacket, type Packet } from "@volley/engine-parser";
import createDebug from "debug";
import { ENGINE_CLIENT_ERROR_CODES } from "../errors";
import { Transport } from "../transport";

const debug = createDebug("volley:engine-client:websocket");

/**
 * The WebSocket transport: one Engine.IO packet per frame, binary as binary frames (unless
 * `forceBase64`). Subclasses own the WebSocket object (native or `ws`): they open it and
 * call onOpen/onData/onClose/onSocketError, and say how a frame is sent.
 */
export abstract class BaseWebSocket extends Transport {
  get name(): string {
    return "websocket";
  }

  /** Creates the WebSocket for `uri` and wires its events to this transport. May throw. */
  protected abstract openSocket(uri: string, protocols: readonly string[]): void;
  /** Sends one encoded packet as one frame. May throw if the socket is closing. */
  protected abstract sendFrame(data: EncodedPacket, packet: Packet): void;
  /** Closes the WebSocket; its events must not reach this transport any more. */
  protected abstract closeSocket(): void;

  protected doOpen(): void {
    try {
      this.openSocket(this.#uri(), this.opts.protocols);
    } catch (error) {
      // Reported on the next tick: the socket attaches its listeners after open() returns.
      setTimeout(() => this.onSocketError(error), 0);
    }
  }

  protected doClose(): void {
    this.closeSocket();
  }

  protected write(packets: Packet[]): void {
    this.writable = false;
    const needsAsync = !this.supportsBinary && packets.some((packet) => typeof Blob === "function" && packet.data instanceof Blob);
    if (needsAsync) {
      // Encode every packet before sending any, so frames keep their order.
      Promise.all(packets.map((packet) => encodePacketAsync(packet, false))).then(
        (frames) => this.#sendAll(frames, packets),
        (error: unknown) => this.onSocketError(error),
      );
      return;
    }
    this.#sendAll(
      packets.map((packet) => encodePacket(packet, this.supportsBinary)),
      packets,
    );
  }

  /** Reports a WebSocket failure as a transport error. */
  protected onSocketError(cause: unknown, details: { status?: number; body?: string } = {}): void {
    if (this.readyState === "closed") return;
    debug("websocket error %o", cause);
    this.onError(ENGINE_CLIENT_ERROR_CODES.WEBSOCKET_ERROR, "websocket error", { description: cause, context: cause, ...details });
  }

  /** Reports that the WebSocket closed. */
  protected onSocketClose(context: unknown): void {
    this.onClose({ description: "websocket connection closed", context });
  }

  #sendAll(frames: EncodedPacket[], packets: Packet[]): void {
    for (let i = 0; i < frames.length; i++) {
      try {
        this.sendFrame(frames[i]!, packets[i]!);
      } catch (error) {
        // The socket closed under us; its close event is on its way.
        debug("send failed: %o", error);
      }
    }
    // The frames are handed to the socket: drain once the caller has recorded the batch.
    queueMicrotask(() => {
      if (this.readyState === "closed") return;
      this.writable = true;
      this.emit("drain");
    });
  }

  #uri(): string {
    // No cache busting unless asked for: a WebSocket handshake is never cached.
    return this.requestUri("ws", this.opts.timestampRequests === true, !this.supportsBinary);
  }

}
