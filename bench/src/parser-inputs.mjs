// The packets of the parser scenario (parser-child.mjs): the same for every library. The
// nested object is the one of @volley/parser's own bench.
import { nestedObject } from "../../packages/parser/bench/inputs.mjs";

const PLACEHOLDER = Object.freeze({ _placeholder: true, num: 0 });

/**
 * `packet()`: a fresh packet; `wireData()`: its payload as the wire carries it (binary values
 * as placeholders); `chars`: the length of its text packet; `batch`: round trips between
 * two looks at the clock.
 */
const inputs = [
  { key: "small", name: "small event", batch: 200, data: () => ["chat", { user: "ann", text: "hey!" }] },
  { key: "binary", name: "event + 1 KiB Buffer", batch: 100, data: () => ["file", Buffer.alloc(1024, 7)], wire: () => ["file", PLACEHOLDER] },
  { key: "nested", name: "~10 KB nested object", batch: 1, data: () => ["state", nestedObject()] },
];

export const PARSER_INPUTS = inputs.map(({ data, wire = data, ...input }) => ({
  ...input,
  packet: () => ({ type: 2, nsp: "/", data: data() }),
  wireData: wire,
  chars: (wire === data ? 1 : 3) + JSON.stringify(wire()).length,
}));
