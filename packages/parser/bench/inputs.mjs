// Inputs shared by this package's bench and the parser scenario of the macro bench
// (bench/src/parser-inputs.mjs at the repo root).

/** About 10 KB of JSON: 50 users with nested profiles. */
export function nestedObject() {
  const users = [];
  for (let i = 0; i < 50; i++) {
    users.push({
      id: i,
      name: `user-${i}`,
      email: `user${i}@example.com`,
      active: i % 3 !== 0,
      tags: ["alpha", "beta", `t${i}`],
      profile: { age: 20 + i, address: { street: `${i} Main St`, city: "Springfield", zip: "12345" }, score: i * 1.5 },
    });
  }
  return { page: 1, total: users.length, users };
}
