// Child process of session-memory.bench.mjs: opens Engine.IO v4 sessions with raw clients
// and keeps them idle, so that the server process measures only its own heap.
//   { type: "open", port, mode, count } -> opens `count` sessions ("websocket": a WebSocket
//       handshake; "polling": a handshake GET, then a GET held by the server; "upgraded":
//       polling, then 2probe / 3probe / 5 over a WebSocket, the polling connection closed)
//   { type: "close" } -> closes them all
import { Agent, request } from "node:http";
import { WebSocket } from "ws";

const PATH = "/engine.io/?EIO=4";
const PARALLEL = 50;
let open = [];

function get(port, agent, query) {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path: `${PATH}&${query}`, agent }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve(body));
    });
    req.on("error", reject);
    req.end();
  });
}

function nextMessage(ws) {
  return new Promise((resolve, reject) => {
    ws.once("message", (data) => resolve(data.toString()));
    ws.once("error", reject);
  });
}

async function openOne(port, mode) {
  if (mode === "websocket") {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${PATH}&transport=websocket`);
    await nextMessage(ws); // the open packet
    return () => ws.terminate();
  }
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const handshake = await get(port, agent, "transport=polling");
  const sid = JSON.parse(handshake.slice(1)).sid;
  const poll = get(port, agent, `transport=polling&sid=${sid}`).catch(() => "");
  if (mode === "polling") return () => agent.destroy();
  const ws = new WebSocket(`ws://127.0.0.1:${port}${PATH}&transport=websocket&sid=${sid}`);
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });
  ws.send("2probe");
  await nextMessage(ws); // 3probe
  await poll; // the held GET is released with a noop
  ws.send("5");
  agent.destroy();
  return () => ws.terminate();
}

process.on("message", async (msg) => {
  if (msg.type === "open") {
    let left = msg.count;
    const worker = async () => {
      while (left > 0) {
        left--;
        open.push(await openOne(msg.port, msg.mode));
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL, msg.count) }, worker));
  } else if (msg.type === "close") {
    for (const close of open) close();
    open = [];
  }
  process.send({ id: msg.id });
});
