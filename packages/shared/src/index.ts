export { brandErrors, describeValue } from "./errors";
export type { ErrorClass } from "./errors";
