// Entry of the `@volley/parser/conformance` subpath: checks that a parser keeps the
// contract the Volley server and client rely on. Call it from your own test suite.
export { parserConformanceCases, registerParserConformance } from "./conformance/cases";
export type { ConformanceCase, ConformanceOptions, TestFramework } from "./conformance/cases";
export { ConformanceError } from "./conformance/assert";
