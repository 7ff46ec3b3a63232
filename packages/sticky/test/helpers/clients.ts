// socket.io-client sockets for the cluster tests, each closed by closeAll().
import { io, type Socket } from "socket.io-client";
import { within } from "./cluster";

export interface Hello {
  workerId: number;
  pid: number;
}

export class Clients {
  readonly #sockets: Socket[] = [];

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
}

/** The next "hello" the fixture sends on (re)connection. */
export function nextHello(socket: Socket, ms = 10_000): Promise<Hello> {
  return within(ms, "hello", new Promise<Hello>((resolve) => socket.once("hello", resolve)));
}

/** Asks the worker serving `socket` who it is. */
export function whoami(socket: Socket, ms = 5000): Promise<number> {
  return within(ms, "whoami ack", socket.timeout(ms).emitWithAck("whoami").then((reply: { workerId: number }) => reply.workerId));
}
