import type { ClusterAdapterWithHeartbeatOptions, ConnectionStateRecoverySettings } from "../../src/index";
import { createNamespace, type TestNamespace } from "./fake-namespace";
import { BusAdapter, MemoryBus } from "./memory-bus";

export interface TestNode {
  nsp: TestNamespace;
  adapter: BusAdapter;
}

/** `count` nodes on one bus, initialised: each knows the others when this resolves. */
export async function createCluster(
  count: number,
  options: ClusterAdapterWithHeartbeatOptions = {},
  recovery?: ConnectionStateRecoverySettings,
  bus = new MemoryBus(),
  create: (nsp: TestNamespace, bus: MemoryBus, options: ClusterAdapterWithHeartbeatOptions) => BusAdapter = (nsp, bus, options) =>
    new BusAdapter(nsp, bus, options),
): Promise<{ bus: MemoryBus; nodes: TestNode[]; close: () => Promise<void> }> {
  const nodes: TestNode[] = [];
  for (let i = 0; i < count; i++) {
    nodes.push(createNamespace((nsp) => create(nsp, bus, options), "/", recovery));
  }
  await Promise.all(nodes.map(({ adapter }) => adapter.init()));
  return {
    bus,
    nodes,
    close: async () => {
      for (const { adapter } of nodes) await adapter.close();
    },
  };
}
