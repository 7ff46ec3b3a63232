import { io as volleyIo } from "@volley/client";
import { io as socketIoClientIo } from "socket.io-client";

/** What the test uses of a client socket: @volley/client's and socket.io-client's both have it. */
interface ClientSocket {
  readonly connected: boolean;
  connect(): unknown;
  disconnect(): unknown;
  emit(event: string, ...args: unknown[]): unknown;
  once(event: string, listener: (...args: never[]) => void): unknown;
  off(event: string, listener?: (...args: never[]) => void): unknown;
  onAny(listener: (event: string, ...args: unknown[]) => void): unknown;
  timeout(ms: number): { emitWithAck(event: string, ...args: unknown[]): Promise<unknown> };
}

export type ClientLibrary = "@volley/client" | "socket.io-client";

/**
 * A client of the gateway that records every event it gets, so that a test can wait for one
 * (bounded) or check afterwards that one never came.
 */
export class Member {
  readonly socket: ClientSocket;
  readonly events: Array<{ name: string; payload: unknown }> = [];
  readonly #waiters = new Set<() => void>();

  constructor(library: ClientLibrary, url: string, name: string) {
    const options = { forceNew: true, autoConnect: false, reconnection: false, auth: { name } };
    this.socket = (library === "@volley/client" ? volleyIo(url, options) : socketIoClientIo(url, options)) as unknown as ClientSocket;
    this.socket.onAny((event, payload) => {
      this.events.push({ name: event, payload });
      for (const wake of this.#waiters) wake();
    });
  }

  connect(timeoutMs = 10000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`not connected in ${timeoutMs} ms`)), timeoutMs);
      const onConnect = (): void => done();
      const onError = (error: Error): void => done(error);
      const done = (error?: Error): void => {
        clearTimeout(timer);
        this.socket.off("connect", onConnect);
        this.socket.off("connect_error", onError);
        if (error === undefined) resolve();
        else reject(error);
      };
      this.socket.once("connect", onConnect);
      this.socket.once("connect_error", onError);
      this.socket.connect();
    });
  }

  /** Emits with an acknowledgement and resolves with it (the handler's return value). */
  ask<T>(event: string, ...args: unknown[]): Promise<T> {
    return this.socket.timeout(10000).emitWithAck(event, ...args) as Promise<T>;
  }

  /** The payloads of the events named `name` received so far. */
  all<T>(name: string): T[] {
    return this.events.filter((event) => event.name === name).map((event) => event.payload as T);
  }

  /** Resolves with the first event `name` (already received or to come) matching `match`. */
  waitFor<T>(name: string, match: (payload: T) => boolean = () => true, timeoutMs = 10000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.all<T>(name).find(match);
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

  /** Resolves with the reason of the next `disconnect`. */
  disconnected(timeoutMs = 10000): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no disconnect in ${timeoutMs} ms`)), timeoutMs);
      this.socket.once("disconnect", (reason: string) => {
        clearTimeout(timer);
        resolve(reason);
      });
    });
  }

  close(): void {
    this.socket.disconnect();
  }
}
