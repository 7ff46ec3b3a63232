#!/usr/bin/env node
// Posts an announcement into a chat room from outside the chat, with @volley/redis-emitter:
// no server runs here, only a Redis client. Every worker delivers it to the room's members
// and keeps it in the room's history, as if a user had sent it.
//
//   node scripts/announce.mjs [--room general] [--from announcement] <text…>
//   REDIS_URL picks the Redis server (default redis://127.0.0.1:6379).
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { LIMITS, parseRoom, roomKey } from "@volley/example-chat/chat";
import { Emitter } from "@volley/redis-emitter";
import { connectRedis, DEFAULT_REDIS_URL, REDIS_KEY } from "../src/redis.js";

/**
 * @typedef {import("@volley/example-chat/events").ChatMessage} ChatMessage
 * @typedef {import("@volley/example-chat/events").ServerToClientEvents} ServerToClientEvents
 * @typedef {import("@volley/example-chat/events").ServerSideEvents} ServerSideEvents
 */

const usage = "usage: node scripts/announce.mjs [--room general] [--from announcement] <text…>";
/** @type {ReturnType<typeof parseArgs<{ options: { room: { type: "string", default: string }, from: { type: "string", default: string } }, allowPositionals: true }>>} */
let args;
try {
  args = parseArgs({ options: { room: { type: "string", default: "general" }, from: { type: "string", default: "announcement" } }, allowPositionals: true });
} catch (error) {
  console.error(`${/** @type {Error} */ (error).message}\n${usage}`);
  process.exit(2);
}
const room = parseRoom(args.values.room);
const text = args.positionals.join(" ").trim();
const from = args.values.from.trim();
if (room === undefined || text === "" || text.length > LIMITS.textLength || from === "" || from.length > LIMITS.nameLength) {
  console.error(`a room name, a text of 1 to ${LIMITS.textLength} characters and a sender of 1 to ${LIMITS.nameLength} are needed\n${usage}`);
  process.exit(2);
}

const redisUrl = process.env["REDIS_URL"] || DEFAULT_REDIS_URL;
const redis = await connectRedis(redisUrl, "announce").catch((/** @type {Error} */ error) => {
  console.error(error.message);
  process.exit(1);
});
let failed = false;
/** @type {Emitter<ServerToClientEvents, ServerSideEvents>} */
const emitter = new Emitter(redis, {
  key: REDIS_KEY,
  onError: (error) => {
    failed = true;
    console.error(error.message);
  },
});

/** @type {ChatMessage} */
const message = { id: `announce-${randomUUID()}`, room, from, text, at: Date.now() };
// Into every worker's history of the room, then to the room's members.
emitter.serverSideEmit("chat:rooms", { kind: "message", message });
emitter.to(roomKey(room)).emit("message", message);
// close() sends what is queued first.
await redis.close();
if (failed) process.exit(1);
console.log(`announced in #${room}: ${text}`);
