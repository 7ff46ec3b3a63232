// Type tests, checked by `pnpm typecheck` (tsc -b in `pnpm test`): every `@ts-expect-error`
// line must be an error, every other line must compile.
import { io, Manager, type DisconnectReason, type ExtendedError, type Socket } from "../../src";

interface ServerToClientEvents {
  news: (headline: string, priority: number) => void;
  question: (text: string, ack: (answer: boolean) => void) => void;
  noArgs: () => void;
}

interface ClientToServerEvents {
  chat: (text: string) => void;
  add: (a: number, b: number, ack: (sum: number) => void) => void;
  fetch: (id: string, ack: (item: { id: string; name: string }) => void) => void;
}

declare function expectType<T>(value: T): void;

// io() with event maps, and assigning the untyped result to a typed socket (socket.io-client style).
const socket = io<ServerToClientEvents, ClientToServerEvents>("http://localhost:3000", { auth: { token: "x" }, retries: 1 });
const assigned: Socket<ServerToClientEvents, ClientToServerEvents> = io("http://localhost:3000");
void assigned;

// --- listening -------------------------------------------------------------------------
socket.on("news", (headline, priority) => {
  expectType<string>(headline);
  expectType<number>(priority);
});
socket.on("question", (_text, ack) => ack(true));
// @ts-expect-error the ack takes a boolean
socket.on("question", (_text, ack) => ack("yes"));
// @ts-expect-error unknown event
socket.on("unknown", () => undefined);
// @ts-expect-error wrong listener parameter type
socket.on("news", (headline: number) => void headline);
socket.on("connect", () => undefined);
socket.on("connect_error", (err) => expectType<ExtendedError>(err));
socket.on("disconnect", (reason, description) => {
  expectType<DisconnectReason>(reason);
  void description;
});
socket.once("noArgs", () => undefined);
socket.off("news");
socket.off();

// --- emitting --------------------------------------------------------------------------
socket.emit("chat", "hello");
// @ts-expect-error wrong argument type
socket.emit("chat", 1);
// @ts-expect-error event of the other direction
socket.emit("news", "x", 1);
socket.emit("add", 1, 2, (sum) => expectType<number>(sum));
// @ts-expect-error the ack gets a number
socket.emit("add", 1, 2, (sum: string) => void sum);

// timeout(): the ack gets an error first
socket.timeout(1000).emit("add", 1, 2, (err, sum) => {
  expectType<Error>(err);
  expectType<number>(sum);
});
// @ts-expect-error without the error first
socket.timeout(1000).emit("add", 1, 2, (sum: number) => void sum);

// emitWithAck: typed result, with and without timeout
void socket.emitWithAck("add", 1, 2).then((sum) => expectType<number>(sum));
void socket.timeout(500).emitWithAck("fetch", "42").then((item) => expectType<{ id: string; name: string }>(item));
// @ts-expect-error missing argument
void socket.emitWithAck("add", 1);
// @ts-expect-error the result is a number
void socket.emitWithAck("add", 1, 2).then((sum: string) => sum);

// modifiers chain and keep the typing
socket.volatile.compress(false).emit("chat", "x");
socket.volatile.timeout(10).emit("add", 1, 2, (err, sum) => void [err, sum]);
// @ts-expect-error still typed after modifiers
socket.volatile.emit("chat", 2);

// --- untyped sockets accept anything ---------------------------------------------------
const untyped = io();
untyped.emit("anything", 1, "two", { three: 3 });
untyped.on("whatever", (...args: unknown[]) => void args);
void untyped.emitWithAck("q").then((value) => expectType<unknown>(value));

// --- Manager ---------------------------------------------------------------------------
const manager = new Manager("http://localhost:3000", { reconnectionDelayMax: 10_000, transports: ["websocket"], autoConnect: false });
const admin = manager.socket("/admin", { auth: (cb) => cb({ token: "y" }) });
expectType<Socket>(admin);
manager.on("reconnect_attempt", (attempt) => expectType<number>(attempt));
manager.on("error", (err) => expectType<Error>(err));
// @ts-expect-error not a Manager event
manager.on("connect", () => undefined);
expectType<boolean>(manager.reconnection());
expectType<Manager>(manager.reconnection(false));
expectType<number | false>(manager.timeout());
manager.open((err) => void err);
// @ts-expect-error invalid option type
new Manager({ reconnectionAttempts: "many" });

// socket.io-client's spelling of the disconnect reason type
const reason: Socket.DisconnectReason = "io server disconnect";
expectType<DisconnectReason>(reason);
