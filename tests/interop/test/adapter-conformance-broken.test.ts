// The conformance kit must be able to fail: adapters broken on purpose, each in one way,
// fail the cases that cover that behaviour (with a ConformanceError saying what differed)
// and still pass one they do not affect.
import { describe, expect, it } from "@jest/globals";
import {
  Adapter,
  createBroadcastOptions,
  MessageType,
  SessionAwareAdapter,
  type AdapterConstructor,
  type AdapterNamespace,
  type BroadcastOptions,
  type ClusterMessage,
  type Room,
} from "@volley/adapter";
import {
  adapterConformanceCases,
  ConformanceError,
  type AdapterConformanceCase,
  type AdapterConformanceHarness,
} from "@volley/adapter/conformance";
import { BroadcastChannelAdapter } from "@volley/example-custom-adapter";
import { uniqueChannel, volleyHarness } from "./helpers/cluster";

type Packet = Parameters<Adapter["broadcast"]>[0];

/** Broadcasts ignore `except`. */
class ExceptDroppingAdapter extends Adapter {
  override broadcast(packet: Packet, opts: BroadcastOptions): void | Promise<void> {
    return super.broadcast(packet, createBroadcastOptions({ rooms: opts.rooms, flags: opts.flags ?? {} }));
  }
}

/** socketsJoin() only reaches the sockets of its own node. */
class LocalJoinAdapter extends BroadcastChannelAdapter {
  override addSockets(opts: BroadcastOptions, rooms: Iterable<Room>): Promise<void> {
    return super.addSockets(createBroadcastOptions({ rooms: opts.rooms, except: opts.except ?? [], flags: { ...opts.flags, local: true } }), rooms);
  }
}

/** Always expects answers from 2 other nodes (a stopped one included), and waits a minute for them. */
class NeverForgetsAdapter extends BroadcastChannelAdapter {
  protected override expectedResponders(): Promise<number> {
    return Promise.resolve(2);
  }
}

/** Keeps sessions but never hands one to another node: a client can only recover where it was. */
class LocalSessionsAdapter extends BroadcastChannelAdapter {
  protected override handleMessage(message: ClusterMessage): Promise<void> {
    if (message.type === MessageType.RESTORE_SESSION) return Promise.resolve();
    return super.handleMessage(message);
  }
}

/** Keeps no session: a client is never recovered. */
class ForgetfulAdapter extends SessionAwareAdapter {
  override restoreSession(): Promise<null> {
    return Promise.resolve(null);
  }
}

function clusterOf(Base: typeof BroadcastChannelAdapter, requestsTimeout = 1000): () => AdapterConstructor<BroadcastChannelAdapter> {
  return () => {
    const channel = uniqueChannel();
    return class extends Base {
      constructor(nsp: AdapterNamespace) {
        super(nsp, { channel, requestsTimeout, heartbeatInterval: 1000, heartbeatTimeout: 3000 });
      }
    };
  };
}

function caseNamed(harness: AdapterConformanceHarness, start: string): AdapterConformanceCase {
  const found = adapterConformanceCases(harness, { timeoutMs: 1500, requestsTimeoutMs: 1000 }).find((c) => c.name.startsWith(start));
  if (found === undefined) throw new Error(`no case starting with "${start}"`);
  expect(found.applicable).toBe(true);
  return found;
}

describe("the adapter conformance kit fails broken adapters", () => {
  it("an adapter whose broadcasts ignore except fails the except cases, not the others", async () => {
    const harness = volleyHarness(1, () => ExceptDroppingAdapter);
    await expect(caseNamed(harness, "except(room)").run()).rejects.toThrow(ConformanceError);
    await expect(caseNamed(harness, "except(room)").run()).rejects.toThrow(/events of muted socket 0 \(node 0\): expected \[\], got \["not for the muted"\]/);
    await expect(caseNamed(harness, "to(room).except(room)").run()).rejects.toThrow(ConformanceError);
    await expect(caseNamed(harness, "to(room) reaches").run()).resolves.toBeUndefined();
  });

  it("a cluster adapter whose socketsJoin stays on its node fails the socketsJoin case with 3 nodes", async () => {
    const harness = volleyHarness(3, clusterOf(LocalJoinAdapter));
    await expect(caseNamed(harness, "socketsJoin()").run()).rejects.toThrow(ConformanceError);
    await expect(caseNamed(harness, "fetchSockets() from any node").run()).resolves.toBeUndefined();
  });

  it("a cluster adapter whose requests wait for a stopped node beyond its requests timeout fails the node-gone case", async () => {
    const harness = volleyHarness(3, clusterOf(NeverForgetsAdapter, 60_000));
    await expect(caseNamed(harness, "with a node stopped").run()).rejects.toThrow(/fetchSockets\(\) with a node stopped: nothing after 2500 ms/);
    // with every node up, the same adapter answers
    await expect(caseNamed(harness, "serverSideEmit() with an ack gathers").run()).resolves.toBeUndefined();
  });

  it("an adapter that never restores a session fails the recovery case", async () => {
    const harness = volleyHarness(1, () => ForgetfulAdapter);
    await expect(caseNamed(harness, "a client whose transport dropped").run()).rejects.toThrow(/the server-side socket on node 0 is not marked recovered/);
    await expect(caseNamed(harness, "a client that disconnected deliberately").run()).resolves.toBeUndefined();
  });

  it("a cluster adapter that restores sessions only on their own node fails the cross-node recovery case", async () => {
    const harness = volleyHarness(3, clusterOf(LocalSessionsAdapter));
    await expect(caseNamed(harness, "a client whose transport dropped recovers on another node").run()).rejects.toThrow(
      /the server-side socket on node 1 is not marked recovered/,
    );
    await expect(caseNamed(harness, "a client whose transport dropped recovers its id").run()).resolves.toBeUndefined();
  });

  it("reports the multi-node cases as not applicable with one node, and checks the node count instead", async () => {
    const cases = adapterConformanceCases(volleyHarness(1, () => undefined));
    const notApplicable = cases.filter((c) => !c.applicable);
    expect(notApplicable.map((c) => c.minNodes)).toEqual([2, 2, 2, 2, 2, 2]);
    expect(notApplicable.every((c) => c.notApplicableReason === "needs 2 nodes, the cluster has 1")).toBe(true);
    // a harness that claims 1 node but starts 2 is caught
    const lying = volleyHarness(1, () => undefined);
    const twoNodes: AdapterConformanceHarness = { ...lying, createCluster: (_n, options) => lying.createCluster(2, options) };
    const check = adapterConformanceCases(twoNodes).find((c) => !c.applicable)!;
    await expect(check.run()).rejects.toThrow(ConformanceError);
  });

  it("rejects a malformed harness or option with a coded error", () => {
    const harness = volleyHarness(1, () => undefined);
    expect(() => adapterConformanceCases({ ...harness, nodes: 0 })).toThrow(expect.objectContaining({ code: "VOLLEY_ADAPTER_ERR_INVALID_OPTION" }));
    expect(() => adapterConformanceCases(harness, { timeoutMs: 0 })).toThrow(expect.objectContaining({ code: "VOLLEY_ADAPTER_ERR_INVALID_OPTION" }));
  });
});
