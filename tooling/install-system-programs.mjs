// Installs the system programs the tests need (used by .ci/run on a fresh machine).
import { ensureSystemPrograms } from "./system-programs.mjs";

try {
  ensureSystemPrograms();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
