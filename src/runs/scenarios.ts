import { existsSync } from "node:fs";
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { FordelingError } from "../errors.js";
import { type Scenario, scenarioFromJson } from "../model/scenario.js";
import { loadWeightTable } from "../model/weightTable.js";
import { type DataDir, resolveInDataDir } from "./dataDir.js";
import { canonicalJson, writeJsonAtomic } from "./files.js";

const WEIGHT_TABLE_KEY = "model.weightTableFile";
const SOURCE = "<request body>";

/**
 * Scenarios stored as files, DIR/scenarios/<id>.json, in the same format as scenarios/*.json
 * in the repository. A scenario arriving over HTTP may name a weight table only by a file name
 * in DIR/weight-tables/: never a path, so no scenario reaches outside the data dir.
 */
export class ScenarioStore {
  /** Creations run one after another, so two requests for one id cannot both "create" it. */
  private creations: Promise<unknown> = Promise.resolve();

  constructor(private readonly dir: DataDir) {}

  /** Validates a scenario from a request: schema, ranges, and any weight table it names. */
  parse(value: unknown): Scenario {
    const scenario = scenarioFromJson(value, SOURCE);
    const table = scenario.parameters[WEIGHT_TABLE_KEY];
    if (typeof table === "string" && table !== "") {
      const field = `parameters.${WEIGHT_TABLE_KEY}`;
      let path: string;
      try {
        path = resolveInDataDir(this.dir, this.dir.weightTables, table, field);
      } catch (error) {
        throw new FordelingError("FD_ERR_SCENARIO", `${(error as Error).message}; name a file in the data dir's weight-tables folder`, {
          field,
        });
      }
      if (!existsSync(path)) {
        throw new FordelingError("FD_ERR_SCENARIO", `weight table '${table}' is not in the data dir's weight-tables folder`, { field });
      }
      try {
        loadWeightTable(path);
      } catch (error) {
        throw new FordelingError(
          "FD_ERR_SCENARIO",
          `weight table '${table}' is invalid: ${(error as Error).message.replace(path, table)}`,
          { field },
        );
      }
    }
    return scenario;
  }

  async list(): Promise<Scenario[]> {
    const names = (await readdir(this.dir.scenarios)).filter((n) => n.endsWith(".json") && !n.startsWith(".")).sort();
    const scenarios: Scenario[] = [];
    for (const name of names) {
      const scenario = await this.read(join(this.dir.scenarios, name));
      if (scenario !== undefined) scenarios.push(scenario);
    }
    return scenarios;
  }

  async get(id: string, field = "params.scenarioId"): Promise<Scenario> {
    const path = resolveInDataDir(this.dir, this.dir.scenarios, `${id}.json`, field);
    const scenario = existsSync(path) ? await this.read(path) : undefined;
    if (scenario === undefined) throw new FordelingError("FD_ERR_NOT_FOUND", `no scenario with id '${id}'`, { field });
    return scenario;
  }

  /** Stores a new scenario; the same content again is fine, other content under the same id is a conflict. */
  create(scenario: Scenario): Promise<{ scenario: Scenario; created: boolean }> {
    const next = this.creations.then(() => this.createNow(scenario));
    this.creations = next.catch(() => undefined);
    return next;
  }

  private async createNow(scenario: Scenario): Promise<{ scenario: Scenario; created: boolean }> {
    const path = resolveInDataDir(this.dir, this.dir.scenarios, `${scenario.id}.json`, "body.id");
    if (existsSync(path)) {
      const existing = await this.read(path);
      if (existing !== undefined && canonicalJson(existing) === canonicalJson(scenario)) return { scenario: existing, created: false };
      throw new FordelingError("FD_ERR_CONFLICT", `a different scenario with id '${scenario.id}' exists; choose another id`, {
        field: "body.id",
      });
    }
    await writeJsonAtomic(path, scenario);
    return { scenario, created: true };
  }

  private async read(path: string): Promise<Scenario | undefined> {
    try {
      return scenarioFromJson(JSON.parse(await readFile(path, "utf8")), SOURCE);
    } catch {
      // A file edited by hand into something invalid is not served as a scenario.
      return undefined;
    }
  }
}
