// Build-time switches. Every npm build (Node.js and the `browser` condition) and the
// unminified browser bundle keep them as written here; @volley/client's minified browser
// bundles resolve @volley/shared to a module that overrides them (src/bundle/lean-shared.ts
// of @volley/client), and the branches they guard are dropped from those bundles.

/**
 * Whether errors carry their full English message. Where it is false, a long message is
 * replaced by the error's code and its values (`"VOLLEY_CLIENT_ERR_INVALID_OPTION timeout"`),
 * as production builds of React do; classes, names, codes and brands are the same.
 */
export const FULL_MESSAGES: boolean = true;

/**
 * Whether options are checked. Where it is false, the option checks of `optionChecks()`
 * accept every value as given, and the packages leave out the checks they make outside
 * those tables (the same switch, so both go together): a bad option is taken as it is.
 * Defaults, merging and normalization do not depend on it.
 */
export const CHECK_OPTIONS: boolean = true;
