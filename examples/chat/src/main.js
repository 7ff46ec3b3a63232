// `pnpm start`: the chat on http://localhost:3000 (PORT picks another port; 0 lets the OS choose).
import { startChatServer } from "./chat-server.js";

const port = Number(process.env["PORT"] ?? 3000);
const chat = await startChatServer({ port });
console.log(`Volley chat running at ${chat.url} (open it in two browser windows; Ctrl+C to stop)`);

for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM"])) {
  process.once(signal, () => {
    chat.close().then(() => process.exit(0));
  });
}
