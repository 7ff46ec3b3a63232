import { io, type Socket } from "@volley/client";
import type { ChatAuth, ClientToServerEvents, ServerToClientEvents } from "../../src/events";

export type ChatClient = Socket<ServerToClientEvents, ClientToServerEvents>;
type EventName = keyof ServerToClientEvents;
type Payload<E extends EventName> = Parameters<ServerToClientEvents[E]>[0];

/**
 * A Node.js client of the chat that records every event it gets, so that a test can wait for
 * one (bounded) or check afterwards that one never came.
 */
export class Recorder {
  readonly socket: ChatClient;
  readonly events: Array<{ name: EventName; payload: unknown }> = [];
  #waiters = new Set<() => void>();

  constructor(url: string, auth: ChatAuth | (() => ChatAuth), options: { reconnection?: boolean } = {}) {
    this.socket = io(url, {
      forceNew: true,
      transports: ["websocket"],
      autoConnect: false,
      reconnection: options.reconnection ?? false,
      reconnectionDelay: 50,
      reconnectionDelayMax: 200,
      auth: typeof auth === "function" ? (cb) => cb(auth()) : auth,
    }) as ChatClient;
    // With recovery on, the server appends each event's offset as a last argument: ignored.
    this.socket.onAny((name: EventName, payload: unknown) => {
      this.events.push({ name, payload });
      for (const wake of this.#waiters) wake();
    });
  }

  /** The payloads of the events named `name` received so far. */
  all<E extends EventName>(name: E): Array<Payload<E>> {
    return this.events.filter((event) => event.name === name).map((event) => event.payload as Payload<E>);
  }

  /** Resolves with the first event named `name` (received from now on, or already) matching `match`. */
  waitFor<E extends EventName>(name: E, match: (payload: Payload<E>) => boolean = () => true, timeoutMs = 5000): Promise<Payload<E>> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.all(name).find(match);
        if (found === undefined) return false;
        finish();
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`no "${name}" event matching ${match.toString()} in ${timeoutMs} ms; got ${JSON.stringify(this.events)}`));
      }, timeoutMs);
      const finish = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(wake);
      };
      const wake = (): void => void check();
      if (!check()) this.#waiters.add(wake);
    });
  }

  /** Connects; resolves once connected, rejects with the connect_error. */
  connect(timeoutMs = 5000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`not connected in ${timeoutMs} ms`)), timeoutMs);
      const onConnect = (): void => done();
      const onError = (error: Error): void => done(error);
      const done = (error?: Error): void => {
        clearTimeout(timer);
        this.socket.off("connect", onConnect).off("connect_error", onError);
        if (error === undefined) resolve();
        else reject(error);
      };
      this.socket.once("connect", onConnect).once("connect_error", onError);
      this.socket.connect();
    });
  }

  /** Resolves on the next `disconnect`. */
  disconnected(timeoutMs = 5000): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no disconnect in ${timeoutMs} ms`)), timeoutMs);
      this.socket.once("disconnect", (reason) => {
        clearTimeout(timer);
        resolve(reason);
      });
    });
  }

  close(): void {
    this.socket.disconnect();
  }
}
