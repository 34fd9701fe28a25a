import { join, relative } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { negotiateFormat, RESULT_FORMATS } from "../../src/api/formats.js";
import { ResultCache } from "../../src/api/resultCache.js";
import { FordelingError } from "../../src/errors.js";
import { openDataDir, resolveInDataDir } from "../../src/runs/dataDir.js";
import { canonicalJson } from "../../src/runs/files.js";
import { runIdFromIdentity } from "../../src/runs/runKey.js";
import type { RunIdentity } from "../../src/runs/types.js";
import { makeTempDir } from "./helpers.js";

describe("run key", () => {
  const identity = (parameters: Record<string, number | string>): RunIdentity => ({
    modelVersion: "m",
    scenario: { id: "s", parameters },
    replications: 10,
    seed: 1,
    horizonYear: 2027,
    population: { kind: "default" },
  });

  it("does not depend on the order of keys", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.oneof(fc.integer(), fc.string())), (parameters) => {
        const reversed = Object.fromEntries(Object.entries(parameters).reverse());
        expect(runIdFromIdentity(identity(reversed))).toBe(runIdFromIdentity(identity(parameters)));
      }),
    );
  });

  it("differs when any input differs", () => {
    const base = identity({});
    const ids = new Set([
      runIdFromIdentity(base),
      runIdFromIdentity({ ...base, seed: 2 }),
      runIdFromIdentity({ ...base, replications: 11 }),
      runIdFromIdentity({ ...base, horizonYear: 2028 }),
      runIdFromIdentity({ ...base, modelVersion: "m2" }),
      runIdFromIdentity({ ...base, population: { kind: "generated", scale: 0.01, seed: 1 } }),
      runIdFromIdentity(identity({ "training.fillRate": 0.9 })),
    ]);
    expect(ids.size).toBe(7);
    expect([...ids].every((id) => /^[a-f0-9]{32}$/u.test(id))).toBe(true);
  });

  it("serialises equal values to equal text and drops undefined", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: undefined } })).toBe('{"a":{"d":[2,{"e":0,"f":1}]},"b":1}');
  });
});

describe("paths from requests", () => {
  const temp = makeTempDir();
  const dir = openDataDir(temp.dir);
  afterAll(() => temp.remove());

  it("never resolves a name outside the data dir: it refuses or stays inside", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.constantFrom("..", "../x", "a/../../b", "%2e%2e", "\u0000", ".", "x\\..\\y")), (name) => {
        try {
          const path = resolveInDataDir(dir, dir.populations, name, "f");
          const rel = relative(dir.root, path);
          expect(rel.startsWith("..")).toBe(false);
          expect(path.startsWith(join(dir.root, "populations"))).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(FordelingError);
          expect((error as FordelingError).code).toBe("FD_ERR_BAD_VALUE");
          expect((error as FordelingError).location.field).toBe("f");
        }
      }),
    );
  });
});

describe("format negotiation", () => {
  it("lets ?format= win over any Accept header", () => {
    fc.assert(
      fc.property(fc.constantFrom(...RESULT_FORMATS), fc.string(), (format, accept) => {
        expect(negotiateFormat(format, accept)).toBe(format);
      }),
    );
  });

  it("answers JSON without an Accept header or for */*, and refuses what it cannot serve", () => {
    expect(negotiateFormat(undefined, undefined)).toBe("json");
    expect(negotiateFormat(undefined, "*/*")).toBe("json");
    expect(negotiateFormat(undefined, "text/*")).toBe("csv");
    expect(negotiateFormat(undefined, "text/csv;q=0, application/vnd.apache.arrow.file;q=0.1")).toBe("arrow");
    expect(() => negotiateFormat(undefined, "image/png")).toThrow(FordelingError);
    expect(() => negotiateFormat(undefined, "text/csv;q=0")).toThrow(/cannot answer/u);
  });
});

describe("result cache", () => {
  it("never holds more bytes than its budget and keeps the most recently used entry", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 40 })), { maxLength: 60 }), (ops) => {
        const cache = new ResultCache(100);
        for (const [key, size] of ops) {
          cache.set(String(key), { body: Buffer.alloc(size), contentType: "x", etag: '"e"' });
          expect(cache.sizeBytes).toBeLessThanOrEqual(100);
          if (size <= 100) expect(cache.get(String(key))?.body.byteLength).toBe(size);
        }
      }),
    );
  });
});
