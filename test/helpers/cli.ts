/** Run CLI commands in-process through the shared runner, capturing stdout, stderr and the exit code. */
import { Command } from "@commander-js/extra-typings";
import { vi } from "vitest";
import { registerCommands } from "../../src/cli/commands.js";
import { runCli } from "../../src/cli/run.js";

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runMemdesc(...args: string[]): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  const program = new Command().name("memdesc");
  const argv = ["node", "memdesc", ...args];
  await registerCommands(program, argv);
  try {
    const code = await runCli(program, argv);
    return { code, stdout, stderr };
  } finally {
    vi.restoreAllMocks();
  }
}
