// `pnpm start` (after `pnpm build`): the chat gateway on http://127.0.0.1:3000 (PORT and HOST
// change it). With REDIS_URL, several such processes share their rooms through Redis.
import { startChatApp } from "./app.js";

const redisUrl = process.env["REDIS_URL"];
const chat = await startChatApp({
  port: Number(process.env["PORT"] ?? 3000),
  host: process.env["HOST"] ?? "127.0.0.1",
  redisUrl,
});
console.log(`NestJS chat gateway on @volley/server at ${chat.url}${redisUrl === undefined ? "" : `, with Redis ${redisUrl}`} (Ctrl+C to stop)`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    chat.close().then(() => process.exit(0));
  });
}
