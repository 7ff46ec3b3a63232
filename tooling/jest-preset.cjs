// Shared jest preset. Tests are TypeScript transpiled to CommonJS by swc (fast, no type
// check: `pnpm typecheck` does that), so sibling packages resolve through their `require`
// condition, the shape CommonJS users get.
const path = require("node:path");

/** @param {string} packageDir */
module.exports = function createJestConfig(packageDir, overrides = {}) {
  const name = require(path.join(packageDir, "package.json")).name;
  const testTimeout = overrides.testTimeout ?? 20000;
  return {
    displayName: name,
    rootDir: packageDir,
    testEnvironment: "node",
    testMatch: ["<rootDir>/test/**/*.test.ts"],
    transform: {
      "^.+\\.(t|j)sx?$": [
        require.resolve("@swc/jest"),
        {
          jsc: { parser: { syntax: "typescript" }, target: "es2022" },
          module: { type: "commonjs" },
          sourceMaps: "inline",
        },
      ],
    },
    moduleFileExtensions: ["ts", "js", "cjs", "mjs", "json"],
    testTimeout,
    // In the root run (all projects at once) jest reads `testTimeout` from the root config
    // only: each project sets its own through this setup file and `globals`.
    globals: { volleyTestTimeout: testTimeout },
    setupFilesAfterEnv: [path.join(__dirname, "jest-test-timeout.cjs")],
    ...overrides,
  };
};
