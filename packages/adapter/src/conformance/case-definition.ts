// The shape of one case of the kit before it is bound to a harness, and helpers the case
// files share.
import { fail } from "./assert";
import type { ConformanceScope, Peer } from "./scope";

export interface CaseDefinition {
  readonly name: string;
  /** Fewest nodes the case means something with. */
  readonly minNodes: number;
  /** Whether the case needs connection state recovery. */
  readonly needsRecovery: boolean;
  /** Whether the case needs `harness.moveClient()`. */
  readonly needsMoveClient?: boolean;
  /** Runs in a scope whose cluster is started; the scope is closed afterwards. */
  run(scope: ConformanceScope): Promise<void>;
}

/** The acknowledgement function a client or server-side listener got as last argument. */
export function ackOf(args: readonly unknown[], what: string): (...values: unknown[]) => void {
  const ack = args[args.length - 1];
  if (typeof ack !== "function") fail(`${what}: expected an acknowledgement function as last argument, got ${typeof ack}`);
  return ack as (...values: unknown[]) => void;
}

export function idsOf(peers: readonly Peer[]): string[] {
  return peers.map((peer) => peer.socket.id);
}

export function describeError(value: unknown): string {
  return value instanceof Error ? `${value.name}: ${value.message}` : String(value);
}
