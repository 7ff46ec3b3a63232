// Request routing of @volley/sticky in a real 3-worker cluster, over raw TCP so that the
// tests decide how requests are cut into TCP reads and which share a connection.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Cluster, waitUntil } from "../helpers/cluster";
import { POLLING_PATH, RawConnection, openSession, requestBytes, type RawSession } from "../helpers/raw-http";

describe("@volley/sticky routing (3 workers, round-robin, worker headersTimeout 3 s)", () => {
  let cluster: Cluster;
  const connections: RawConnection[] = [];
  const open = async (): Promise<RawConnection> => {
    const connection = await RawConnection.open(cluster.port);
    connections.push(connection);
    return connection;
  };
  /** One session on each worker, each opened on its own connection. */
  let sessions: RawSession[];

  beforeAll(async () => {
    cluster = await Cluster.start("volley", "round-robin", 3, { headersTimeout: 3000 });
    sessions = [];
    for (let i = 0; i < 3; i++) sessions.push(await openSession(await open()));
  });

  afterAll(async () => {
    for (const connection of connections) connection.close();
    await cluster?.stop();
  });

  it("places three new sessions on three workers", () => {
    expect(new Set(sessions.map((s) => s.workerId)).size).toBe(3);
  });

  it("routes a request whose request line arrives a few bytes at a time (the sid split across TCP reads)", async () => {
    for (const session of [...sessions.slice(1), sessions[0]!]) {
      const connection = await open();
      const bytes = requestBytes("POST", `${POLLING_PATH}&sid=${session.sid}`, '42["note","split"]');
      const sidAt = bytes.indexOf("sid=");
      // cut inside "sid=", inside the sid itself, then the rest
      const pieces = [bytes.subarray(0, sidAt + 2), bytes.subarray(sidAt + 2, sidAt + 7), bytes.subarray(sidAt + 7, sidAt + 12), bytes.subarray(sidAt + 12)];
      await connection.sendInPieces(pieces);
      const response = await connection.response();
      expect({ status: response.status, body: response.body }).toEqual({ status: 200, body: "ok" });
    }
  });

  it("routes requests sent one byte per TCP write", async () => {
    for (const session of [sessions[1]!, sessions[2]!, sessions[0]!]) {
      const connection = await open();
      const bytes = requestBytes("POST", `${POLLING_PATH}&sid=${session.sid}`, '42["note","bytes"]');
      await connection.sendInPieces([...bytes].map((byte) => Buffer.from([byte])), 1);
      const response = await connection.response();
      expect({ status: response.status, body: response.body }).toEqual({ status: 200, body: "ok" });
    }
  });

  it("answers an unknown sid with engine's 400 Session ID unknown", async () => {
    const connection = await open();
    const response = await connection.request("GET", `${POLLING_PATH}&sid=AAAAAAAAAAAAAAAAAAAA`);
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toEqual({ code: 1, message: "Session ID unknown" });
  });

  it("routes each request of one keep-alive connection by its own sid", async () => {
    const connection = await open();
    // two new sessions opened on the same connection land on two workers
    const first = await openSession(connection);
    const second = await openSession(connection);
    expect(first.workerId).not.toBe(second.workerId);
    // then requests alternate between them, and the older sessions, on that one connection
    for (const session of [first, second, first, sessions[0]!, second, sessions[2]!, first]) {
      const response = await connection.request("POST", `${POLLING_PATH}&sid=${session.sid}`, '42["note","keep-alive"]');
      expect({ sid: session.sid, status: response.status, body: response.body }).toEqual({ sid: session.sid, status: 200, body: "ok" });
    }
    // and a poll answered on that connection comes from the session's own worker
    await connection.request("POST", `${POLLING_PATH}&sid=${second.sid}`, '42["big","abc"]');
    const poll = await connection.request("GET", `${POLLING_PATH}&sid=${second.sid}`);
    expect(poll.body).toContain(`"big-length",{"length":3,"workerId":${second.workerId}}`);
    expect(connection.closed).toBe(false);
  });

  it("hands a request head longer than maxHeaderSize to the worker's HTTP server, which refuses it (431)", async () => {
    const connection = await open();
    // Node's default maxHeaderSize is 16 KiB: the head passes it by about 1 KB, in one write
    // and with nothing after it. Bytes still arriving once the worker has answered 431 and
    // closed would make its kernel reset the connection, which can discard the answer before
    // this side reads it.
    const fillers = Array.from({ length: 17 }, (_, i) => `X-Filler-${i}: ${"f".repeat(1000)}\r\n`).join("");
    await connection.write(`GET ${POLLING_PATH}&sid=${sessions[0]!.sid} HTTP/1.1\r\nHost: 127.0.0.1\r\n${fillers}`);
    expect((await connection.response()).status).toBe(431);
  });

  it("destroys a connection whose request head stops half-way for longer than the worker's headersTimeout", async () => {
    const connection = await open();
    await connection.write(`GET ${POLLING_PATH}&sid=${sessions[0]!.sid} HTTP/1.1\r\nHost: 127.0.0.1\r\n`);
    await waitUntil(10_000, "connection closed", () => connection.closed);
  });

  it("passes a request with a malformed body framing to the worker's HTTP server, which refuses it (400)", async () => {
    const connection = await open();
    const response = await connection.request("POST", `${POLLING_PATH}&sid=${sessions[0]!.sid}`, "", { "Content-Length": "1e3" });
    expect(response.status).toBe(400);
  });

  it.each([
    ["Content-Length", false],
    ["chunked", true],
  ])("delivers a 6 MB POST body (%s) arriving in many TCP reads whole", async (_name, chunked) => {
    const session = sessions[2]!;
    const connection = await open();
    const text = "x".repeat(6 * 1024 * 1024);
    const body = Buffer.from(`42["big","${text}"]`);
    const path = `${POLLING_PATH}&sid=${session.sid}`;
    if (chunked) {
      await connection.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n`);
      for (let i = 0; i < body.length; i += 100_000) {
        const piece = body.subarray(i, i + 100_000);
        await connection.write(Buffer.concat([Buffer.from(`${piece.length.toString(16)};ext=1\r\n`), piece, Buffer.from("\r\n")]));
      }
      await connection.write("0\r\nX-Trailer: yes\r\n\r\n");
    } else {
      const bytes = requestBytes("POST", path, body);
      for (let i = 0; i < bytes.length; i += 64 * 1024) await connection.write(bytes.subarray(i, i + 64 * 1024));
    }
    const response = await connection.response(20_000);
    expect({ status: response.status, body: response.body }).toEqual({ status: 200, body: "ok" });
    const poll = await connection.request("GET", path);
    expect(poll.body).toContain(`"big-length",{"length":${text.length},"workerId":${session.workerId}}`);
  });
});
