import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { FordelingError } from "../errors.js";
import type { DataRef } from "./payload.js";

/**
 * The coordinator's side of the data: serves the run's population and register files, and
 * nothing else, at `/data/<sha256>` so workers without a shared disk fetch them once.
 * Only files offered by the coordinator itself are served; the hash is the only name.
 */
export interface DataServer {
  /** The DataRef a job carries for this file (the hash was computed when the run was prepared). */
  offer(file: string, sha256: string): Promise<DataRef>;
  readonly url: string;
  close(): Promise<void>;
}

export async function startDataServer(options: { host?: string; port?: number; publicUrl?: string } = {}): Promise<DataServer> {
  const files = new Map<string, string>();
  const server: Server = createServer((req, res) => {
    const match = /^\/data\/([0-9a-f]{64})$/u.exec(req.url ?? "");
    const file = match?.[1] === undefined ? undefined : files.get(match[1]);
    if (req.method !== "GET" || file === undefined) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
      return;
    }
    res.writeHead(200, { "content-type": "application/octet-stream" });
    createReadStream(file)
      .on("error", () => res.destroy())
      .pipe(res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (e) =>
      reject(new FordelingError("FD_ERR_ARGUMENT", `the data server cannot listen: ${e.message}`, { field: "--data-listen" })),
    );
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve);
  });
  const address = server.address() as AddressInfo;
  const url = (
    options.publicUrl ?? `http://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}`
  ).replace(/\/+$/u, "");
  return {
    url,
    async offer(file, sha256) {
      files.set(sha256, file);
      return { sha256, bytes: (await stat(file)).size, url: `${url}/data/${sha256}` };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
