import { Option, type Command } from "commander";
import { DEFAULT_JOB_SIZE } from "../distributed/coordinator.js";
import { checkDistributedOptions, type DistributedOptions } from "../distributed/distributedRun.js";
import { MAX_JOB_REPLICATIONS } from "../distributed/payload.js";
import { wholeNumber } from "./options.js";

export interface DistributedFlags {
  redis?: string;
  jobSize: number;
  dataListen: string;
  dataUrl?: string;
}

/** --redis, --job-size, --data-listen, --data-url: shared by `project` and `serve` (docs/SCALE.md). */
export function addDistributedOptions(command: Command): Command {
  return command
    .option("--redis <url>", "distribute replications over `fordeling worker`s on this Redis (docs/SCALE.md); same result as a local run")
    .addOption(
      new Option("--job-size <n>", `replications per job with --redis, 1…${MAX_JOB_REPLICATIONS}`)
        .default(DEFAULT_JOB_SIZE)
        .argParser(wholeNumber("--job-size", 1, MAX_JOB_REPLICATIONS)),
    )
    .option("--data-listen <host:port>", "with --redis: where workers fetch the population and register", "127.0.0.1:0")
    .option("--data-url <url>", "with --redis: the URL workers use to reach --data-listen (default: its address)");
}

/** The flags as DistributedOptions, checked; undefined without --redis. */
export function distributedOptionsOf(flags: DistributedFlags): DistributedOptions | undefined {
  if (flags.redis === undefined) return undefined;
  const options: DistributedOptions = {
    redis: flags.redis,
    jobSize: flags.jobSize,
    dataListen: flags.dataListen,
    ...(flags.dataUrl !== undefined ? { dataUrl: flags.dataUrl } : {}),
  };
  checkDistributedOptions(options);
  return options;
}
