// Type tests, checked by `pnpm typecheck`: every `@ts-expect-error` line must be an error.
import type { IncomingMessage } from "node:http";
import {
  Server,
  type BroadcastOperator,
  type DisconnectReason,
  type Event,
  type Handshake,
  type Namespace,
  type RemoteSocket,
  type Socket,
} from "../../src";

interface ClientToServerEvents {
  chat: (text: string) => void;
  add: (a: number, b: number, ack: (sum: number) => void) => void;
}

interface ServerToClientEvents {
  news: (headline: string, priority: number) => void;
  question: (text: string, ack: (answer: boolean) => void) => void;
  noArgs: () => void;
}

interface InterServerEvents {
  ping: () => void;
  count: (ack: (n: number) => void) => void;
}

interface SocketData {
  user: string;
  age: number;
}

declare function expectType<T>(value: T): void;

const io = new Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>({ connectTimeout: 1000 });

// --- emit to clients -------------------------------------------------------------------
io.emit("news", "hello", 1);
io.emit("noArgs");
// @ts-expect-error unknown event
io.emit("unknown");
// @ts-expect-error wrong argument type
io.emit("news", 1, 1);
// @ts-expect-error missing argument
io.emit("news", "hello");
io.to("room").except("other").emit("news", "x", 2);
io.of("/admin").to(["a", "b"]).volatile.compress(false).local.emit("news", "x", 3);
// @ts-expect-error the event of the client-to-server map is not emittable to clients
io.to("room").emit("chat", "x");

// broadcast acks: (err, responses[])
io.timeout(1000).emit("question", "ok?", (err, answers) => {
  expectType<Error | null>(err);
  expectType<boolean[]>(answers);
});
// @ts-expect-error the broadcast ack gets an array, not a boolean
io.timeout(1000).emit("question", "ok?", (err: Error | null, answer: boolean) => undefined);
void io.timeout(1000).emitWithAck("question", "ok?").then((answers) => expectType<boolean[]>(answers));
// @ts-expect-error emitWithAck only for events that have an ack
void io.emitWithAck("news", "a", 1);

io.on("connection", (socket) => {
  expectType<Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>>(socket);
  expectType<string>(socket.id);
  expectType<Handshake>(socket.handshake);
  expectType<IncomingMessage>(socket.request);
  expectType<boolean>(socket.recovered);
  expectType<ReadonlySet<string>>(socket.rooms);
  expectType<Partial<SocketData>>(socket.data);
  socket.data.user = "alice";
  // @ts-expect-error wrong type in socket.data
  socket.data.age = "old";

  // --- listen to the client --------------------------------------------------------------
  socket.on("chat", (text) => expectType<string>(text));
  socket.on("add", (a, b, ack) => ack(a + b));
  // @ts-expect-error wrong listener parameter type
  socket.on("chat", (text: number) => undefined);
  // @ts-expect-error unknown incoming event
  socket.on("unknown", () => undefined);
  socket.on("disconnect", (reason) => expectType<DisconnectReason>(reason));
  socket.on("disconnecting", (reason, description) => {
    expectType<DisconnectReason>(reason);
    expectType<unknown>(description);
  });

  // --- emit to this client ---------------------------------------------------------------
  socket.emit("news", "hi", 1);
  socket.emit("question", "ok?", (answer) => expectType<boolean>(answer));
  // @ts-expect-error wrong argument
  socket.emit("news", "hi", "1");
  socket.timeout(100).emit("question", "ok?", (err, answer) => {
    expectType<Error | null>(err);
    expectType<boolean>(answer);
  });
  void socket.emitWithAck("question", "ok?").then((answer) => expectType<boolean>(answer));
  void socket.timeout(10).emitWithAck("question", "ok?").then((answer) => expectType<boolean>(answer));
  // @ts-expect-error emitWithAck arguments do not include the callback
  void socket.emitWithAck("question", "ok?", () => undefined);
  socket.volatile.emit("noArgs");
  socket.compress(false).timeout(5).emit("noArgs");
  socket.broadcast.emit("news", "all", 0);
  socket.to("room").emit("news", "room", 0);
  expectType<BroadcastOperator<ServerToClientEvents, SocketData>>(socket.except("x"));
  socket.onAny((event, ...args) => {
    expectType<string>(event);
    expectType<unknown[]>(args);
  });
  socket.use(([event], next) => {
    expectType<string>(event);
    next();
  });
});

// --- middlewares -----------------------------------------------------------------------------
io.use((socket, next) => {
  expectType<Partial<SocketData>>(socket.data);
  const err = new Error("no") as Error & { data?: unknown };
  err.data = { retry: true };
  next(err);
});

// --- server-side events ----------------------------------------------------------------------
io.serverSideEmit("ping");
io.serverSideEmit("count", (err, counts) => {
  expectType<Error | null>(err);
  expectType<number[]>(counts);
});
// @ts-expect-error unknown server-side event
io.serverSideEmit("unknown");
io.on("ping", () => undefined);
io.on("new_namespace", (namespace) => expectType<Namespace<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>>(namespace));

// --- fetchSockets -----------------------------------------------------------------------------
void io.fetchSockets().then((sockets) => {
  for (const socket of sockets) {
    expectType<RemoteSocket<ServerToClientEvents, SocketData>>(socket);
    expectType<Partial<SocketData>>(socket.data);
    socket.emit("news", "x", 1);
    // @ts-expect-error wrong argument
    socket.emit("news", 1, 1);
  }
});

// --- namespaces ----------------------------------------------------------------------------------
const admin = io.of("/admin");
admin.emit("news", "x", 1);
const dynamic = io.of(/^\/room-\d+$/);
dynamic.on("connection", (socket) => socket.emit("noArgs"));
io.of((name, auth, next) => next(null, name.length > 1 && auth["ok"] === true));

// --- settings accessors --------------------------------------------------------------------------
expectType<string>(io.path());
expectType<typeof io>(io.path("/x"));
expectType<number>(io.connectTimeout());
expectType<boolean>(io.serveClient());
// @ts-expect-error a path is a string
io.path(1);

// --- untyped server: anything goes, listeners may declare their parameters ------------------------
const untyped = new Server();
untyped.emit("anything", 1, "two", { three: 3 });
untyped.on("connection", (socket) => {
  socket.on("whatever", (a: number, b: string) => void [a, b]);
  socket.emit("free", 1, 2, 3);
  void socket.emitWithAck("free", 1).then((answer) => expectType<unknown>(answer));
  // @ts-expect-error reserved events keep their types
  socket.on("disconnect", (reason: number) => undefined);
});

// --- socket.io compatibility members (issue 7) ---------------------------------------------------
expectType<Map<string, Namespace<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>>>(io._nsps);
expectType<typeof io>(io.of("/admin").server);
expectType<typeof io>(io.of(/^\/dyn-\d+$/).server);
expectType<Namespace<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>>(
  io.of(/^\/dyn-\d+$/).createChild("/dyn-1"),
);
expectType<number>(io.setMaxListeners(0).getMaxListeners());
expectType<number>(io.listenerCount("connection", () => undefined));
expectType<typeof io>(io.prependOnceListener("connection", (socket) => socket.leaveAll()));
io.on("connection", (socket) => {
  socket.use((event: Event, next) => {
    expectType<string>(event[0]);
    next();
  });
  expectType<Set<string>>(socket.rooms);
  expectType<number>(socket.rawListeners("chat").length);
  // @ts-expect-error the listener of a typed event keeps its type
  socket.prependOnceListener("chat", (text: number) => undefined);
});
