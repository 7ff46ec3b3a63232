// socket.io-client sockets for the cluster tests, each closed by closeAll().
import { io, type Socket } from "socket.io-client";
import { within } from "./cluster";

export interface Hello {
  workerId: number;
  pid: number;
}

export class Clients {
  readonly #sockets: Socket[] = [];
  // every socket ever created, for allClosed()
  readonly #created: Socket[] = [];

  /** A client with its own connection (forceNew), reconnection fast so that tests stay short. */
  create(url: string, transports: string[], extra: Record<string, unknown> = {}): Socket {
    const socket = io(url, {
      transports,
      forceNew: true,
      reconnectionDelay: 50,
      reconnectionDelayMax: 200,
      ...extra,
    });
    this.#sockets.push(socket);
    this.#created.push(socket);
    return socket;
  }

  /** A client and the fixture's hello (which worker it landed on). */
  async connect(url: string, transports: string[], extra: Record<string, unknown> = {}): Promise<{ socket: Socket; hello: Hello }> {
    const socket = this.create(url, transports, extra);
    const hello = await nextHello(socket);
    return { socket, hello };
  }

  closeAll(): void {
    for (const socket of this.#sockets) socket.disconnect();
    this.#sockets.length = 0;
  }

  /**
   * Resolves once the Engine.IO connection of every socket created is closed. A polling
   * client closed while its upgrade is in flight closes only when its requests end, which
   * may be after the cluster stops: jest must not tear the test file down before that.
   */
  async allClosed(ms = 10_000): Promise<void> {
    const engines = this.#created.map((socket) => socket.io.engine).filter((engine) => engine.readyState !== "closed");
    this.#created.length = 0;
    await within(
      ms,
      `${engines.length} client connection(s) closed`,
      Promise.all(engines.map((engine) => new Promise<void>((resolve) => engine.once("close", () => resolve())))),
    );
  }
}

/** The next "hello" the fixture sends on (re)connection. */
export function nextHello(socket: Socket, ms = 10_000): Promise<Hello> {
  return within(ms, "hello", new Promise<Hello>((resolve) => socket.once("hello", resolve)));
}

/** Asks the worker serving `socket` who it is. */
export function whoami(socket: Socket, ms = 5000): Promise<number> {
  return within(ms, "whoami ack", socket.timeout(ms).emitWithAck("whoami").then((reply: { workerId: number }) => reply.workerId));
}

/** Resolves once the socket's Engine.IO connection is on WebSocket. */
export function upgraded(socket: Socket, ms = 5000): Promise<void> {
  const engine = socket.io.engine;
  if (engine.transport?.name === "websocket") return Promise.resolve();
  return within(ms, "the upgrade to WebSocket", new Promise<void>((resolve) => engine.once("upgrade", () => resolve())));
}
