import { afterEach, describe, expect, it } from "vitest";
import { redisConnection } from "../../src/distributed/redis.js";

afterEach(() => {
  delete process.env["FORDELING_REDIS_PASSWORD"];
});

describe("redisConnection", () => {
  it("refuses what is not a redis:// or rediss:// URL, naming --redis", () => {
    expect(() => redisConnection("localhost:6379")).toThrow(/redis:\/\/ or rediss:\/\//u);
    expect(() => redisConnection("http://localhost:6379")).toThrow(/field '--redis'.*got 'http:\/\/'/u);
    expect(() => redisConnection("redis://localhost:6379/x")).toThrow(/database must be a whole number/u);
  });

  it("takes user, password and database from the URL, TLS from rediss://, a password from the environment", () => {
    expect(redisConnection("rediss://fd:s%40cret@redis.example:6380/2")).toMatchObject({
      host: "redis.example",
      port: 6380,
      db: 2,
      username: "fd",
      password: "s@cret",
      tls: {},
      maxRetriesPerRequest: null,
    });
    process.env["FORDELING_REDIS_PASSWORD"] = "from-env";
    const plain = redisConnection("redis://127.0.0.1");
    expect(plain).toMatchObject({ host: "127.0.0.1", port: 6379, db: 0, password: "from-env" });
    expect(plain).not.toHaveProperty("tls");
  });
});
