// Creates the Nest application: HTTP through @nestjs/platform-express, WebSockets through
// @nestjs/platform-socket.io, which runs on @volley/server here.
import "reflect-metadata";
import type { INestApplication, LogLevel } from "@nestjs/common";
import { type IEntryNestModule, NestFactory } from "@nestjs/core";
import { AppModule } from "./app.module.js";
import { RedisIoAdapter } from "./redis-io-adapter.js";

export interface ChatApp {
  app: INestApplication;
  /** `http://host:port` of the listening server. */
  url: string;
  close(): Promise<void>;
}

export interface ChatAppOptions {
  /** @default 3000 */
  port?: number;
  /** @default "127.0.0.1" */
  host?: string;
  /** @default ["log", "warn", "error"] */
  logLevels?: LogLevel[];
  /** The root module (one that imports AppModule, to add providers). @default AppModule */
  module?: IEntryNestModule;
  /** With a Redis URL, the gateways' servers share rooms and broadcasts with the other processes. */
  redisUrl?: string | undefined;
}

export async function startChatApp(options: ChatAppOptions = {}): Promise<ChatApp> {
  const app = await NestFactory.create(options.module ?? AppModule, { logger: options.logLevels ?? ["log", "warn", "error"] });
  if (options.redisUrl !== undefined) {
    const adapter = new RedisIoAdapter(app);
    try {
      await adapter.connectToRedis(options.redisUrl);
    } catch (error) {
      await app.close();
      throw error;
    }
    app.useWebSocketAdapter(adapter);
  }
  // the gateways share the application's HTTP server (their port is 0)
  await app.listen(options.port ?? 3000, options.host ?? "127.0.0.1");
  const address = app.getHttpServer().address() as { address: string; port: number };
  const host = address.address.includes(":") ? `[${address.address}]` : address.address;
  return { app, url: `http://${host}:${address.port}`, close: () => app.close() };
}
