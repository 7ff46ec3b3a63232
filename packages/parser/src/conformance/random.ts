// Seeded randomness for fuzzing: the same seed gives the same inputs, so a failure can be
// replayed exactly.

/** A deterministic generator of numbers in [0, 1) (mulberry32). */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomInt(random: () => number, maxExclusive: number): number {
  return Math.floor(random() * maxExclusive);
}

// Characters that matter to text encodings: digits, separators, brackets, quotes, escapes.
const INTERESTING = '0123456789-/,[]{}":\\_abcxyz \u0000\u001f\u2028\ud800é€';

export function randomString(random: () => number, maxLength: number): string {
  const length = randomInt(random, maxLength + 1);
  let text = "";
  for (let i = 0; i < length; i++) {
    text +=
      random() < 0.8
        ? INTERESTING.charAt(randomInt(random, INTERESTING.length))
        : String.fromCharCode(randomInt(random, 0x10000));
  }
  return text;
}

export function randomBytes(random: () => number, maxLength: number): Uint8Array {
  const bytes = new Uint8Array(randomInt(random, maxLength + 1));
  for (let i = 0; i < bytes.length; i++) bytes[i] = randomInt(random, 256);
  return bytes;
}

/** `input` damaged in one random way: truncated, a unit flipped, a slice removed or doubled. */
export function mutate(random: () => number, input: string | Uint8Array): string | Uint8Array {
  const length = input.length;
  const at = randomInt(random, Math.max(length, 1));
  const kind = randomInt(random, 4);
  if (typeof input === "string") {
    if (kind === 0) return input.slice(0, at);
    if (kind === 1) return input.slice(0, at) + String.fromCharCode(randomInt(random, 128)) + input.slice(at + 1);
    if (kind === 2) return input.slice(0, at) + input.slice(at + 1 + randomInt(random, 4));
    return input.slice(0, at) + input.slice(at - randomInt(random, 4));
  }
  const bytes = Uint8Array.from(input);
  if (kind === 0) return bytes.slice(0, at);
  if (kind === 1) {
    if (length > 0) bytes[at] = randomInt(random, 256);
    return bytes;
  }
  if (kind === 2) return Uint8Array.from([...bytes.slice(0, at), ...bytes.slice(at + 1 + randomInt(random, 4))]);
  return Uint8Array.from([...bytes.slice(0, at), ...bytes.slice(Math.max(0, at - randomInt(random, 4)))]);
}
