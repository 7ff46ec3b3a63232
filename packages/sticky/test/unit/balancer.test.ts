import { describe, expect, it } from "@jest/globals";
import { Balancer, SessionRegistry } from "../../src/balancer";

function registryWith(workers: number[]): SessionRegistry {
  const registry = new SessionRegistry();
  for (const id of workers) registry.addWorker(id);
  return registry;
}

describe("SessionRegistry", () => {
  it("tracks sessions by worker, ignores reports about other workers' sessions, forgets a gone worker's", () => {
    const registry = registryWith([2, 1]);
    registry.open(1, "a");
    registry.open(1, "b");
    registry.open(2, "c");
    registry.open(2, "a"); // already on worker 1
    registry.open(9, "z"); // not a ready worker
    expect(registry.counts()).toEqual(new Map([[1, 2], [2, 1]]));
    registry.close(2, "a"); // not its session
    expect(registry.workerOf("a")).toBe(1);
    registry.close(1, "a");
    expect(registry.workerOf("a")).toBeUndefined();
    registry.removeWorker(2);
    expect(registry.workerOf("c")).toBeUndefined();
    expect(registry.counts()).toEqual(new Map([[1, 1]]));
    expect(registry.workers()).toEqual([1]);
  });
});

describe("Balancer", () => {
  it("has no pick without a ready worker", () => {
    for (const method of ["random", "round-robin", "least-connection"] as const) expect(new Balancer(method, new SessionRegistry()).pick()).toBeUndefined();
  });

  it("round-robin goes worker after worker in id order", () => {
    const balancer = new Balancer("round-robin", registryWith([3, 1, 2]));
    expect(Array.from({ length: 7 }, () => balancer.pick())).toEqual([1, 2, 3, 1, 2, 3, 1]);
  });

  it("random picks uniformly from the ready workers", () => {
    const values = [0, 0.34, 0.67, 0.99];
    const balancer = new Balancer("random", registryWith([1, 2, 3]), () => values.shift()!);
    expect([balancer.pick(), balancer.pick(), balancer.pick(), balancer.pick()]).toEqual([1, 2, 3, 3]);
  });

  it("least-connection picks the fewest sessions, and takes equal workers in turn", () => {
    const registry = registryWith([1, 2, 3]);
    const balancer = new Balancer("least-connection", registry);
    // nothing reported yet: a burst spreads
    expect([balancer.pick(), balancer.pick(), balancer.pick()]).toEqual([1, 2, 3]);
    registry.open(1, "a");
    registry.open(1, "b");
    registry.open(2, "c");
    expect(balancer.pick()).toBe(3);
    registry.open(3, "d");
    expect(balancer.pick()).toBe(2);
    registry.close(1, "a");
    registry.close(1, "b");
    expect(balancer.pick()).toBe(1);
  });
});
