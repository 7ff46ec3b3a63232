// The built application (dist/) in a process of its own, driven by the test over IPC.
// NestJS 12 ships ES modules only, which jest's CommonJS runtime cannot load on Node.js 20:
// here Node.js loads them itself, as `node dist/main.js` does, and `socket.io` is imported
// through the ESM condition, the way a Nest app gets it.
import { realpathSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { Server as VolleyServer } from "@volley/server";
import { AppModule } from "../../dist/app.module.js";
import { startChatApp } from "../../dist/app.js";
import { ChatGateway } from "../../dist/chat.gateway.js";
import { moreGateways } from "./more-gateways.mjs";

/** A port free right now, for the gateway that listens on its own. */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer().once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

const ownPort = await freePort();
const chat = await startChatApp({
  port: 0,
  logLevels: ["error", "warn"],
  module: { imports: [AppModule], providers: moreGateways(ownPort) },
  redisUrl: process.env["REDIS_URL"],
});
const gateway = chat.app.get(ChatGateway);
// what `socket.io` is for the package that imports it (CommonJS resolution)
const requireHere = createRequire(import.meta.url);
const platform = realpathSync(requireHere.resolve("@nestjs/platform-socket.io"));
const socketIo = realpathSync(createRequire(platform).resolve("socket.io"));

process.on("message", (message) => {
  if (message !== "close") return;
  chat.close().then(
    () => {
      process.send?.({ type: "closed" });
      // with the channel gone, nothing should keep the process alive
      process.disconnect();
    },
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
});

process.send?.({
  type: "ready",
  url: chat.url,
  ownPortUrl: `http://127.0.0.1:${ownPort}`,
  // the gateway's @WebSocketServer() is an instance of @volley/server's ESM Server class
  isVolleyServer: gateway.server instanceof VolleyServer,
  socketIoOfPlatform: socketIo,
});
