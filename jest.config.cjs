// The whole test suite in one jest run, so test files of every workspace share the
// workers and the summary counts all of them.
module.exports = {
  projects: [
    "<rootDir>/packages/*/jest.config.cjs",
    "<rootDir>/tests/*/jest.config.cjs",
    "<rootDir>/e2e/jest.config.cjs",
  ],
};
