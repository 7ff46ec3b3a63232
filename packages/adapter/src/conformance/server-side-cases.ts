// Server-side events between nodes (with and without acknowledgements), and what the other
// nodes see when one node does not answer or is gone.
import { check, checkEqual, checkSameItems } from "./assert";
import { ackOf, describeError, idsOf, type CaseDefinition } from "./case-definition";
import type { ConformanceScope } from "./scope";
import { ackCallback, countdown, within } from "./wait";

/** Listens to `event` on every node; returns what each node received (arguments). */
function listenEverywhere(scope: ConformanceScope, event: string, onEvent?: (node: number, args: unknown[]) => void): unknown[][][] {
  return scope.liveNodes().map((node) => {
    const received: unknown[][] = [];
    scope.server(node).on(event, (...args) => {
      received.push(args);
      onEvent?.(node, args);
    });
    return received;
  });
}

/** Sends a server-side event with an ack from `node`; resolves with the callback's `[err, responses]`. */
function serverSideEmitWithAck(scope: ConformanceScope, node: number, event: string, args: unknown[], boundMs: number): Promise<unknown[]> {
  const ack = ackCallback(boundMs, `the callback of serverSideEmit("${event}") from node ${node}`);
  scope.server(node).serverSideEmit(event, ...args, ack.callback);
  return ack.result;
}

export const serverSideCases: CaseDefinition[] = [
  {
    name: "serverSideEmit() reaches the listeners of every other node, not its own",
    minNodes: 2,
    needsRecovery: false,
    async run(scope) {
      const others = countdown(scope.nodes - 1, scope.options.timeoutMs, "every other node receiving the server-side event");
      const received = listenEverywhere(scope, "hello", (node) => node !== 0 && others.tick());
      scope.server(0).serverSideEmit("hello", 1, "two", { three: [3] });
      await others.done;
      // a round trip through every node: a copy looped back to the sender would have arrived by now
      listenEverywhere(scope, "ping", (_node, args) => ackOf(args, "ping")("pong"));
      await serverSideEmitWithAck(scope, 0, "ping", [], scope.options.requestsTimeoutMs + scope.options.timeoutMs);
      received.forEach((events, node) =>
        checkEqual(events, node === 0 ? [] : [[1, "two", { three: [3] }]], `server-side events received by node ${node}`),
      );
    },
  },
  {
    name: "serverSideEmit() with an ack gathers one response from every other node",
    minNodes: 2,
    needsRecovery: false,
    async run(scope) {
      const received = listenEverywhere(scope, "sum", (node, args) => ackOf(args, `node ${node}`)({ node, sum: (args[0] as number) + (args[1] as number) }));
      const [err, responses] = await serverSideEmitWithAck(scope, 0, "sum", [2, 3], scope.options.requestsTimeoutMs + scope.options.timeoutMs);
      check(err === null || err === undefined, `expected no error, got ${describeError(err)}`);
      check(Array.isArray(responses), `expected an array of responses, got ${typeof responses}`);
      const expected = scope.liveNodes().filter((node) => node !== 0).map((node) => ({ node, sum: 5 }));
      checkSameItems(responses, expected, "responses of the other nodes");
      checkEqual(received[0], [], "server-side events received by the sender");
    },
  },
  {
    name: "serverSideEmit() with an ack times out with the responses received so far when a node does not answer",
    minNodes: 2,
    needsRecovery: false,
    async run(scope) {
      const silent = scope.nodes - 1;
      const asked = countdown(1, scope.options.timeoutMs, "the silent node receiving the event");
      listenEverywhere(scope, "sum", (node, args) => {
        if (node === silent) asked.tick();
        else ackOf(args, `node ${node}`)(node);
      });
      const { requestsTimeoutMs, timeoutMs } = scope.options;
      const [err, responses] = await serverSideEmitWithAck(scope, 0, "sum", [1, 1], requestsTimeoutMs + timeoutMs);
      await asked.done;
      check(err instanceof Error, `expected an Error for the node that did not answer, got ${describeError(err)}`);
      check(Array.isArray(responses), `expected the responses received so far, got ${typeof responses}`);
      const expected = scope.liveNodes().filter((node) => node !== 0 && node !== silent);
      checkSameItems(responses, expected, "responses received before the timeout");
    },
  },
  {
    name: "with a node stopped, the others keep broadcasting and their requests settle in time without it",
    minNodes: 2,
    needsRecovery: false,
    async run(scope) {
      const peers = await scope.connectEverywhere(1);
      const stopped = scope.nodes - 1;
      listenEverywhere(scope, "who", (node, args) => ackOf(args, `node ${node}`)(node));
      await scope.stop(stopped);
      const live = peers.filter((peer) => peer.node !== stopped);
      const { requestsTimeoutMs, timeoutMs, ackTimeoutMs } = scope.options;
      const bound = requestsTimeoutMs + timeoutMs;

      const records = live.map((peer) => peer.record("news"));
      scope.server(0).emit("news", "still here");
      await scope.received(records, 1, "the clients of the live nodes receiving a broadcast");

      // fetchSockets: the live nodes' sockets, or an Error once the request timed out
      const fetched = await within(
        scope.server(0).fetchSockets().then((sockets) => sockets.map((s) => s.id), (error: unknown) => error),
        bound,
        "fetchSockets() with a node stopped",
      );
      if (Array.isArray(fetched)) checkSameItems(fetched, idsOf(live), "fetchSockets() with a node stopped");
      else check(fetched instanceof Error, `fetchSockets() with a node stopped rejected with a non-Error: ${describeError(fetched)}`);

      // serverSideEmit with an ack: every live node's response, with or without a timeout error
      const [err, responses] = await serverSideEmitWithAck(scope, 0, "who", [], bound);
      check(err === null || err === undefined || err instanceof Error, `expected no error or an Error, got ${describeError(err)}`);
      check(Array.isArray(responses), `expected an array of responses, got ${typeof responses}`);
      checkSameItems(responses, scope.liveNodes().filter((node) => node !== 0), "server-side responses with a node stopped");

      // broadcast with an ack: every live client's acknowledgement, within its timeout
      for (const peer of live) peer.client.on("question", (...args) => ackOf(args, "question")(peer.socket.id));
      const ack = ackCallback(ackTimeoutMs + bound, "a broadcast with an ack and a node stopped");
      scope.server(0).timeout(ackTimeoutMs + timeoutMs).emit("question", ack.callback);
      const [ackErr, acks] = await ack.result;
      check(ackErr === null || ackErr === undefined || ackErr instanceof Error, `expected no error or an Error, got ${describeError(ackErr)}`);
      check(Array.isArray(acks), `expected an array of acknowledgements, got ${typeof acks}`);
      checkSameItems(acks, idsOf(live), "acknowledgements with a node stopped");
    },
  },
];
