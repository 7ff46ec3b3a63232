// Several processes behind a load balancer (sticky sessions): NestJS's recipe is an IoAdapter
// whose servers get a multi-node adapter, here @volley/redis-adapter over node-redis.
import { IoAdapter } from "@nestjs/platform-socket.io";
import { createAdapter } from "@volley/redis-adapter";
import { createClient } from "redis";
import type { Server, ServerOptions } from "socket.io";

/** How long connecting to Redis may take before the application gives up. */
const CONNECT_TIMEOUT_MS = 10_000;

export class RedisIoAdapter extends IoAdapter {
  #adapter: ReturnType<typeof createAdapter> | undefined;
  readonly #clients: Array<ReturnType<typeof createClient>> = [];

  /** Connects the publishing and the subscribing client; call before `useWebSocketAdapter`. */
  async connectToRedis(url: string): Promise<void> {
    const pubClient = createClient({ url, socket: { connectTimeout: CONNECT_TIMEOUT_MS } });
    const subClient = pubClient.duplicate();
    for (const client of [pubClient, subClient]) {
      // a lost connection is retried by the client itself: log it, never throw
      client.on("error", (error: Error) => this.logger.error(`redis: ${error.message}`));
      this.#clients.push(client);
    }
    try {
      await Promise.all([pubClient.connect(), subClient.connect()]);
    } catch (error) {
      for (const client of this.#clients.splice(0)) client.destroy();
      throw error;
    }
    this.#adapter = createAdapter(pubClient, subClient, { key: "volley-nestjs" });
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, options);
    if (this.#adapter !== undefined) server.adapter(this.#adapter);
    return server;
  }

  /** Nest calls it on `app.close()`, once the servers (and their adapters) are closed. */
  override async dispose(): Promise<void> {
    await super.dispose();
    await Promise.all(this.#clients.splice(0).map((client) => client.close()));
  }
}
