import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { FordelingError, type ErrorCode } from "../errors.js";

/**
 * Reads a JSON file (YAML for .yaml/.yml) and parses it, with the two failures every data file
 * shares: FD_ERR_FILE_NOT_FOUND when it cannot be read, `parseErrorCode` when it does not parse.
 * `what` names the file in the message ("the weight table"); validation is the caller's.
 */
export function readDataFile(file: string, what: string, parseErrorCode: ErrorCode): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (cause) {
    throw new FordelingError("FD_ERR_FILE_NOT_FOUND", `cannot read ${what}`, { file }, { cause });
  }
  const yaml = /\.ya?ml$/iu.test(file);
  try {
    return yaml ? parseYaml(text) : JSON.parse(text);
  } catch (cause) {
    throw new FordelingError(
      parseErrorCode,
      `${what} is not valid ${yaml ? "YAML" : "JSON"}: ${(cause as Error).message}`,
      { file },
      { cause },
    );
  }
}
