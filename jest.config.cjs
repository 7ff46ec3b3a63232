// The whole test suite in one jest run, so test files of every workspace share the
// workers and the summary counts all of them. A workspace takes part by having a
// jest.config.cjs.
const { existsSync, readdirSync } = require("node:fs");
const path = require("node:path");

const workspaceDirs = ["packages", "examples", "tests"].flatMap((group) =>
  !existsSync(path.join(__dirname, group)) ? [] : readdirSync(path.join(__dirname, group), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join(group, entry.name)),
);

module.exports = {
  projects: [...workspaceDirs, "e2e"]
    .map((dir) => path.join(__dirname, dir, "jest.config.cjs"))
    .filter((file) => existsSync(file)),
};
