// A Volley node in a process of its own, for the tests that kill one (SIGKILL): a server on
// a loopback port with the Redis adapter (the built package), node-redis 5 clients. It
// answers the server-side event "question", and tells its parent its URL and adapter uid
// over IPC once it listens.
//
// argv: <redis port> <key> <"classic" | "sharded"> <adapter options as JSON> [server options as JSON]
import { createServer } from "node:http";
import { Server } from "@volley/server";
import { createClient } from "redis";
import { createAdapter, createShardedAdapter } from "../../dist/index.js";

const [port, key, flavour, optionsJson, serverOptionsJson] = process.argv.slice(2);
const options = JSON.parse(optionsJson ?? "{}");
const serverOptions = JSON.parse(serverOptionsJson ?? "{}");

const pub = createClient({ url: `redis://127.0.0.1:${port}` });
pub.on("error", () => undefined);
const sub = pub.duplicate();
sub.on("error", () => undefined);
await Promise.all([pub.connect(), sub.connect()]);

const adapter =
  flavour === "sharded"
    ? createShardedAdapter(pub, sub, { channelPrefix: key, ...options })
    : createAdapter(pub, sub, { key, ...options });
const http = createServer();
const io = new Server(http, { ...serverOptions, adapter });
io.on("question", (answer) => answer("from the child process"));
http.listen(0, "127.0.0.1", () => {
  const address = http.address();
  process.send?.({ url: `http://127.0.0.1:${address.port}`, uid: io.of("/").adapter.uid });
});
