// The few types the tests use of the published socket.io-client 2.x (it ships none).
declare module "socket.io-client-v2" {
  interface V2Socket {
    readonly id: string;
    readonly connected: boolean;
    readonly io: { readonly engine: { readonly id: string; readonly transport: { readonly name: string } } };
    on(event: string, listener: (...args: any[]) => void): this;
    once(event: string, listener: (...args: any[]) => void): this;
    off(event: string, listener?: (...args: any[]) => void): this;
    removeListener(event: string, listener: (...args: any[]) => void): this;
    emit(event: string, ...args: unknown[]): this;
    close(): this;
  }
  interface V2Options {
    forceNew?: boolean;
    reconnection?: boolean;
    transports?: string[];
    path?: string;
    query?: Record<string, string>;
  }
  function io(url: string, options?: V2Options): V2Socket;
  export = io;
}
