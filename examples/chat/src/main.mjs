import { startChatServer } from "./chat-server.mjs";

const port = Number(process.env.PORT ?? 3000);
const chat = await startChatServer({ port });
console.log(`Volley chat running at ${chat.url} (open it in two browser tabs; Ctrl+C to stop)`);

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    chat.close().then(() => process.exit(0));
  });
}
