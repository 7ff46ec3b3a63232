// The example as it runs: `node src/main.js` as a child process with 2 workers, sharing their
// state through a redis-server started here on a free port (REDIS_URL) or, without Redis,
// through the cluster adapter; @volley/client clients from this process, and (with Redis)
// the announcement script as another child process. Round-robin balancing makes the workers
// of successive new sessions alternate, so that a test can put a client on each worker.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { ChatMessage, JoinResult, SendResult, ServerToClientEvents } from "@volley/example-chat/events";
import { Recorder } from "../../../chat/test/helpers/clients";
import { startRedisServer, type RedisServer } from "../../../../packages/redis-adapter/test/helpers/redis-server";

const exampleDir = join(__dirname, "..", "..");

/** Registers the example's tests: with a Redis server (REDIS_URL set), or without (the cluster adapter). */
export function registerExampleTests(withRedis: boolean): void {
  let redis: RedisServer | undefined;
  let cluster: ChildProcess;
  let url: string;
  let output = "";
  const recorders: Recorder[] = [];

  /** Resolves with the first match of `pattern` in what `child` writes to stdout, within `timeoutMs`. */
  function lineMatching(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        const match = pattern.exec(output);
        if (match === null) return;
        done();
        resolve(match);
      };
      const onExit = (code: number | null): void => {
        done();
        reject(new Error(`the cluster exited (${code}) before ${pattern}: ${output}`));
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no ${pattern} within ${timeoutMs} ms: ${output}`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        child.stdout?.off("data", onData);
        child.off("exit", onExit);
      };
      child.stdout?.on("data", onData);
      child.once("exit", onExit);
    });
  }

  /** Runs a script of the example to its end; resolves with its exit code and output. */
  function run(args: string[], timeoutMs = 15_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, args, { cwd: exampleDir, env: { ...process.env, REDIS_URL: redis?.url } });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`${args.join(" ")} did not end within ${timeoutMs} ms: ${stdout}${stderr}`));
      }, timeoutMs);
      child.once("exit", (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    });
  }

  beforeAll(async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: "0", HOST: "127.0.0.1", WORKERS: "2", BALANCING: "round-robin" };
    delete env["REDIS_URL"];
    if (withRedis) {
      redis = await startRedisServer();
      env["REDIS_URL"] = redis.url;
    }
    cluster = spawn(process.execPath, ["src/main.js"], {
      cwd: exampleDir,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    cluster.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const started = await lineMatching(cluster, /Volley chat on 2 workers at (http:\/\/\S+) \(([^,]+),/, 30_000);
    url = started[1] ?? "";
    expect(started[2]).toBe(withRedis ? `Redis ${redis?.url}` : "cluster adapter");
  }, 40_000);

  afterAll(async () => {
    for (const recorder of recorders) recorder.close();
    if (cluster !== undefined && cluster.exitCode === null) {
      const exited = new Promise<number | null>((resolve) => cluster.once("exit", resolve));
      const timer = setTimeout(() => cluster.kill("SIGKILL"), 10_000);
      cluster.kill("SIGTERM");
      expect(await exited).toBe(0);
      clearTimeout(timer);
    }
    await redis?.stop();
  }, 20_000);

  /** A connected user, with the name of the process that serves it. */
  async function user(username: string, extra: { rooms?: string[] } = {}): Promise<{ recorder: Recorder; node: string }> {
    const recorder = new Recorder(url, { username, ...extra });
    recorders.push(recorder);
    await recorder.connect();
    await recorder.waitFor("session");
    return { recorder, node: await nodeOf(recorder) };
  }

  /** The `index`th `node` event the example's processes send (not a chat event: read from the recording). */
  async function nodeOf(recorder: Recorder, index = 0): Promise<string> {
    const name = "node" as keyof ServerToClientEvents;
    const nodes = () => recorder.events.filter((event) => event.name === name);
    await recorder.waitFor(name, () => nodes().length > index);
    return (nodes()[index]?.payload as { name: string }).name;
  }

  const say = (recorder: Recorder, room: string, text: string): Promise<SendResult> =>
    recorder.socket.timeout(5000).emitWithAck("message", { room, text });
  const joinRoom = (recorder: Recorder, room: string): Promise<JoinResult> => recorder.socket.timeout(5000).emitWithAck("room:join", room);

  describe(`the cluster example (${withRedis ? "Redis adapter" : "cluster adapter, no Redis"})`, () => {
    let alice: { recorder: Recorder; node: string };
    let bob: { recorder: Recorder; node: string };

    it("serves the page through the primary", async () => {
      const page = await fetch(`${url}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<script src="/socket.io/socket.io.js"></script>');
    });

    it("puts users on different workers that chat together, with one online count", async () => {
      alice = await user("alice");
      const extras: Recorder[] = [];
      for (let i = 0; i < 4; i++) {
        const candidate = await user(`bob-${i}`);
        if (candidate.node !== alice.node) {
          bob = candidate;
          break;
        }
        extras.push(candidate.recorder);
      }
      expect(bob).toBeDefined();
      for (const extra of extras) extra.close();
      await alice.recorder.waitFor("online", () => alice.recorder.all("online").at(-1) === 2);
      await bob.recorder.waitFor("online", () => bob.recorder.all("online").at(-1) === 2);

      expect(await say(alice.recorder, "general", "hello from one worker")).toMatchObject({ ok: true });
      expect(await bob.recorder.waitFor("message", (message) => message.text === "hello from one worker")).toMatchObject({ from: "alice" });
      expect(await say(bob.recorder, "general", "hello from the other")).toMatchObject({ ok: true });
      await alice.recorder.waitFor("message", (message) => message.text === "hello from the other");

      // Rooms are the same on every worker: members, notices and history.
      expect(await joinRoom(alice.recorder, "random")).toMatchObject({ ok: true, members: ["alice"] });
      await say(alice.recorder, "random", "first in #random");
      // The workers share the rooms as they hear of them: once bob's worker relayed a later
      // message of alice's worker, it has the earlier one in #random's history.
      await say(alice.recorder, "general", "fence");
      await bob.recorder.waitFor("message", (message) => message.text === "fence");
      const joined = await joinRoom(bob.recorder, "random");
      expect(joined).toMatchObject({ ok: true, members: ["alice", expect.stringMatching(/^bob-/)] });
      expect(joined.ok && joined.history.map((message: ChatMessage) => message.text)).toEqual(["first in #random"]);
      await alice.recorder.waitFor("notice", (notice) => notice.room === "random" && notice.kind === "joined" && notice.user !== "alice");
    });

    it("refuses a name in use on one worker on every worker", async () => {
      // Round-robin: four attempts are two on each worker.
      for (let i = 0; i < 4; i++) {
        const attempt = new Recorder(url, { username: i % 2 === 0 ? "ALICE" : "alice" });
        recorders.push(attempt);
        await expect(attempt.connect()).rejects.toMatchObject({ data: { code: "NAME_TAKEN" } });
        attempt.close();
      }
      // Two connections racing for a new name, one on each worker: one of them gets it.
      const racers = [new Recorder(url, { username: "dave" }), new Recorder(url, { username: "Dave" })];
      recorders.push(...racers);
      const results = await Promise.allSettled(racers.map((racer) => racer.connect()));
      expect(results.map((result) => result.status).sort()).toEqual(["fulfilled", "rejected"]);
      const winner = racers[results.findIndex((result) => result.status === "fulfilled")];
      const loser = results.find((result): result is PromiseRejectedResult => result.status === "rejected");
      expect(loser?.reason).toMatchObject({ data: { code: "NAME_TAKEN" } });
      winner?.close();
    });

    // the announcement script goes through Redis
    if (withRedis) it("delivers the announcement script's message to the room on every worker, and keeps it in the history", async () => {
      const result = await run(["scripts/announce.mjs", "--room", "general", "maintenance at noon"]);
      expect(result).toMatchObject({ code: 0, stdout: "announced in #general: maintenance at noon\n" });
      for (const { recorder } of [alice, bob]) {
        expect(await recorder.waitFor("message", (message) => message.text === "maintenance at noon")).toMatchObject({
          room: "general",
          from: "announcement",
        });
      }
      const carol = await user("carol", { rooms: [] });
      const joined = await joinRoom(carol.recorder, "general");
      expect(joined.ok && joined.history.map((message: ChatMessage) => message.text)).toContain("maintenance at noon");
      expect(await run(["scripts/announce.mjs", "--room", "not a room", "x"])).toMatchObject({ code: 2 });
    });

    it("recovers a dropped connection on the other worker: same id, name and rooms, nothing missed", async () => {
      const id = alice.recorder.socket.id;
      let nodes = 1;
      let missed = 0;
      // Each reconnection is a new session: round-robin sends the next one to the next worker.
      for (let attempt = 0; attempt < 3; attempt++) {
        const dropped = alice.recorder.disconnected();
        alice.recorder.socket.io.engine!.close();
        await dropped;
        await say(bob.recorder, "general", `missed ${++missed}`);
        await alice.recorder.connect();
        expect(alice.recorder.socket.recovered).toBe(true);
        expect(alice.recorder.socket.id).toBe(id);
        const node = await nodeOf(alice.recorder, nodes++);
        await alice.recorder.waitFor("message", (message) => message.text === `missed ${missed}`);
        if (node !== alice.node) break;
      }
      expect(await nodeOf(alice.recorder, nodes - 1)).not.toBe(alice.node);
      expect(alice.recorder.all("session")).toHaveLength(1);
      // Still in #random, on the new worker.
      await say(bob.recorder, "random", "after the move");
      await alice.recorder.waitFor("message", (message) => message.text === "after the move");
      expect(await say(alice.recorder, "random", "alice still here")).toMatchObject({ ok: true });
      const impostor = new Recorder(url, { username: "alice" });
      recorders.push(impostor);
      await expect(impostor.connect()).rejects.toMatchObject({ data: { code: "NAME_TAKEN" } });
    });
  });
}
