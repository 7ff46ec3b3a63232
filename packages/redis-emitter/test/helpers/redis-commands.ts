// A command or two to a redis-server over a raw connection (RESP), for what the tests must
// know of Redis itself: how many nodes listen to a channel.
import { createConnection } from "node:net";

/** Sends one command and resolves with the raw reply (up to its last CRLF). */
function command(port: number, args: readonly string[], timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ port, host: "127.0.0.1" });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no reply to ${args[0]} from ${port}`));
    }, timeoutMs);
    let reply = "";
    socket.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on("data", (chunk: Buffer) => {
      reply += chunk.toString();
      if (!complete(reply)) return;
      clearTimeout(timer);
      socket.destroy();
      resolve(reply);
    });
    socket.write(`*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join("")}`);
  });
}

/** Whether a PUBSUB SHARDNUMSUB reply (an array of 2: bulk string, integer) is whole. */
function complete(reply: string): boolean {
  return /:\d+\r\n$/.test(reply) || reply.startsWith("-");
}

/** How many connections listen to sharded `channel` (PUBSUB SHARDNUMSUB). */
export async function shardSubscribers(port: number, channel: string): Promise<number> {
  const reply = await command(port, ["PUBSUB", "SHARDNUMSUB", channel]);
  const match = /:(\d+)\r\n$/.exec(reply);
  if (match?.[1] === undefined) throw new Error(`unexpected reply to PUBSUB SHARDNUMSUB: ${reply}`);
  return Number(match[1]);
}

/**
 * Resolves once `count` connections listen to sharded `channel`. Redis sends no event for
 * it: the count is asked every 10 ms, for `timeoutMs` at most.
 */
export async function shardSubscribed(port: number, channel: string, count: number, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const current = await shardSubscribers(port, channel);
    if (current === count) return;
    if (Date.now() > deadline) throw new Error(`${current} subscribers of ${channel} after ${timeoutMs} ms, not ${count}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
