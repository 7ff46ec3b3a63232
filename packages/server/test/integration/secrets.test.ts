// Issue 14: the recovery pid (whoever holds it takes a session over) and the handshake auth
// never appear in debug output or in error messages. A child process runs the built server
// and client with DEBUG=volley:* (test/fixtures/secrets/scenario.mjs): a recovered session,
// an adapter whose restore fails quoting the pid, the in-memory adapter that keeps no session,
// a malformed CONNECT quoting the auth, a CONNECT refused by a middleware. Its debug output (stderr) and every error message, cause
// and stack it saw are searched for each secret.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";

const SCENARIO = join(__dirname, "..", "fixtures", "secrets", "scenario.mjs");

function runScenario(secret: string): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [SCENARIO, secret],
      { env: { ...process.env, DEBUG: "volley:*", DEBUG_COLORS: "0" }, timeout: 30000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error !== null) reject(new Error(`the scenario failed: ${error.message}\n${stderr.slice(-4000)}`));
        else resolve({ stdout, stderr });
      },
    );
  });
}

/** Every run of `length` characters of `value`. */
function pieces(value: string, length: number): string[] {
  return Array.from({ length: Math.max(1, value.length - length + 1) }, (_, i) => value.slice(i, i + length));
}

describe("secrets in debug output and error messages", () => {
  it("neither the recovery pid nor the handshake auth is ever printed", async () => {
    const secret = `auth${randomBytes(12).toString("hex")}`;
    const { stdout, stderr } = await runScenario(secret);
    const { pids, errors } = JSON.parse(stdout) as { pids: string[]; errors: string[] };

    // the scenario did what it says, with debug on
    expect(pids.length).toBeGreaterThanOrEqual(2);
    expect(stderr).toContain("volley:server");
    expect(stderr).toContain("volley:engine-server");
    expect(stderr).toContain("volley:adapter");
    expect(stderr).toContain("not persisted: the in-memory adapter keeps no session");
    expect(stderr).toContain("a session could not be restored: no session <pid> at offset");
    expect(stderr).toContain("parse error");
    expect(errors.some((message) => message.includes("invalid payload: not valid JSON"))).toBe(true);
    expect(errors).toContain("not authorized");

    // not even a piece: JSON.parse's messages quote ten characters of their input
    for (const value of [secret, ...pids]) {
      for (const piece of pieces(value, 8)) {
        expect(stderr).not.toContain(piece);
        for (const message of errors) expect(message).not.toContain(piece);
      }
    }
  });
});
