// Applies the project's test timeout (see jest-preset.cjs) in every test file of the project.
jest.setTimeout(globalThis.volleyTestTimeout);
