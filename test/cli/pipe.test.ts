/**
 * A reader that stops early (`charter oncall --ical | head -1`) closes the pipe under the command:
 * the command ends quietly, with no stack trace (Node's default for an unhandled EPIPE). Run as an
 * installed package runs it: the built CLI.
 */
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { BUILD_AND_START_TIMEOUT, ensureBuilt, ROOT } from "../e2e/support/build.js";

describe("a closed pipe", () => {
  it(
    "`charter oncall --ical --weeks 52`, piped into `head -1`: no stack trace, exit 0",
    async () => {
      await ensureBuilt();
      // as a shell runs it: `head` exits after its line and the pipe closes under the command
      const child = spawn("bash", ["-c", `"${process.execPath}" bin/charter.js oncall --ical --weeks 52 | head -1; echo "exit \${PIPESTATUS[0]}" >&2`], { cwd: ROOT, env: { ...process.env, CHARTER_FROM_DIST: "1" }, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      await new Promise((resolve) => child.on("close", resolve));
      expect(stdout).toBe("BEGIN:VCALENDAR\r\n"); // RFC 5545 lines end in CRLF
      expect(stderr).toBe("exit 0\n");
    },
    BUILD_AND_START_TIMEOUT,
  );
});
