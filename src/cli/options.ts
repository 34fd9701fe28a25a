import { type Command, Option } from "commander";
import { FordelingError } from "../errors.js";
import { CSV_DIALECTS } from "../io/csv.js";

/**
 * Option parsers shared by the commands: each rejects a bad value with FD_ERR_ARGUMENT naming
 * the flag and the allowed values, before any work starts.
 */

const WHOLE_DECIMAL = /^[+-]?\d+$/u;
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/u;

export function numberOption(flag: string, range: { min: number; max: number; integer: boolean }): (raw: string) => number {
  return (raw) => {
    const value = Number(raw);
    // Decimal notation only: Number() would also read 0x10, 0b1, 1e3 for a whole number, and " 7 ".
    const ok =
      (range.integer ? WHOLE_DECIMAL : DECIMAL).test(raw) &&
      Number.isFinite(value) &&
      (!range.integer || Number.isInteger(value)) &&
      value >= range.min &&
      value <= range.max;
    if (!ok) {
      const kind = range.integer ? "a whole number" : "a number";
      throw new FordelingError("FD_ERR_ARGUMENT", `'${raw}' is not ${kind} from ${range.min} to ${range.max}`, { field: flag });
    }
    return value;
  };
}

export function wholeNumber(flag: string, min: number, max: number): (raw: string) => number {
  return numberOption(flag, { min, max, integer: true });
}

export function choice<T extends string>(flag: string, allowed: readonly T[]): (raw: string) => T {
  return (raw) => {
    if (!(allowed as readonly string[]).includes(raw)) {
      throw new FordelingError("FD_ERR_ARGUMENT", `'${raw}' is not allowed; use one of ${allowed.join(", ")}`, { field: flag });
    }
    return raw as T;
  };
}

/** `--csv-dialect` and `--round`: every command that writes tables takes them, with one meaning. */
export function addTableOutputOptions(command: Command): Command {
  return command
    .addOption(
      new Option("--csv-dialect <dialect>", "CSV flavour: rfc4180 (comma, decimal point) or excel-da (semicolon, decimal comma, UTF-8 BOM)")
        .default("rfc4180")
        .argParser(choice("--csv-dialect", CSV_DIALECTS)),
    )
    .option("--round", "round figures to the decimals the terminal shows (default: full precision)");
}
