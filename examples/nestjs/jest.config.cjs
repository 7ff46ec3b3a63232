module.exports = require("../../tooling/jest-preset.cjs")(__dirname, { testTimeout: 40000 });
