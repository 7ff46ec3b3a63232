export { CHECK_OPTIONS, FULL_MESSAGES } from "./build";
export { brandErrors, describeValue, errorCodes } from "./errors";
export type { ErrorClass } from "./errors";
export { mergeObjects, optionChecks, resolveOptions } from "./options";
export type { InvalidOption, OptionCheck, OptionChecks } from "./options";
