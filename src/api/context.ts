import type { DataDir } from "../runs/dataDir.js";
import type { ScenarioStore } from "../runs/scenarios.js";
import type { RunService } from "../runs/service.js";
import type { ResultCache } from "./resultCache.js";

/** What every route module gets: the data dir and the services over it. */
export interface ApiContext {
  dataDir: DataDir;
  runs: RunService;
  scenarios: ScenarioStore;
  results: ResultCache;
}
