import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A real small file system for disk-full tests and bench/faults.ts: a tmpfs of the given size, mounted on a fresh
 * temp dir. Needs root (or CAP_SYS_ADMIN); returns undefined where the machine does not allow
 * it, and those tests fall back to the file-system seam.
 */
export interface SmallDisk {
  dir: string;
  /** Writes a filler file at `path` until the disk is full. */
  fill(path: string): void;
  remove(): void;
}

export function mountSmallDisk(sizeKiB: number): SmallDisk | undefined {
  const dir = mkdtempSync(join(tmpdir(), "fordeling-disk-"));
  const mounted = spawnSync("mount", ["-t", "tmpfs", "-o", `size=${sizeKiB}k`, "tmpfs", dir], { stdio: "ignore" }).status === 0;
  if (!mounted) {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  return {
    dir,
    fill: (path) => fillDisk(path),
    remove: () => {
      spawnSync("umount", [dir], { stdio: "ignore" });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function fillDisk(path: string): void {
  const fd = openSync(path, "a");
  const chunk = Buffer.alloc(4096, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
  } finally {
    closeSync(fd);
  }
}

/** Whether this process may mount a tmpfs (probed once). */
export const canMountSmallDisk: boolean = (() => {
  const disk = mountSmallDisk(64);
  disk?.remove();
  return disk !== undefined;
})();
