// Ours as an application's CI starts it for a suite that cannot send headers: the built command
// line, `livekit-test-server --stateful --ports <port>`, in a process of its own (`npm run build`
// first).
import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { freePorts } from "../../support/free-ports.js";

const cli = fileURLToPath(new URL("../../../dist/bin/cli.mjs", import.meta.url));

export interface RunningCli {
  readonly url: string;
  close(): Promise<void>;
}

export async function startStatefulCli(): Promise<RunningCli> {
  let output = "";
  for (let attempt = 0; attempt < 5; attempt++) {
    const [port] = await freePorts(1);
    const child = spawn(process.execPath, [cli, "--stateful", "--ports", String(port), "--bind", "127.0.0.1", "--log-level", "error"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = once(child, "exit");
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && child.exitCode === null) {
      const ok = await fetch(`${url}/_test/health`).then(
        (res) => res.status === 200,
        () => false,
      );
      if (ok) {
        return {
          url,
          close: async () => {
            if (child.exitCode !== null) return;
            child.kill("SIGTERM");
            await exited;
          },
        };
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (child.exitCode === null) {
      child.kill("SIGKILL");
      await exited;
    }
  }
  throw new Error(`livekit-test-server --stateful did not start:\n${output}`);
}
