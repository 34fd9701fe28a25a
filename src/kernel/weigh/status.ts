import { FordelingError, type ErrorLocation } from "../../errors.js";
import { RESIDENT_COLUMNS } from "../../population/schema.js";
import { STATUS_BAD_OUTSIDE_LABOUR_MARKET, STATUS_UNKNOWN_MUNICIPALITY } from "../abi.js";

/**
 * Turns a kernel status into the error a user sees. Statuses 1…9 name the RESIDENT_COLUMNS
 * entry (status − 1) that holds the first bad value; `value` is read back by the caller.
 */
export function kernelStatusError(status: number, location: ErrorLocation & { row: number }, value?: number): FordelingError {
  const spec =
    status >= STATUS_UNKNOWN_MUNICIPALITY && status <= STATUS_BAD_OUTSIDE_LABOUR_MARKET ? RESIDENT_COLUMNS[status - 1] : undefined;
  if (spec === undefined) {
    return new FordelingError("FD_ERR_KERNEL", `the kernel returned unknown status ${status}`, location);
  }
  const at = { ...location, column: spec.name };
  const shown = value === undefined ? "the value" : `value ${value}`;
  if (status === STATUS_UNKNOWN_MUNICIPALITY) {
    return new FordelingError("FD_ERR_UNKNOWN_MUNICIPALITY", `${shown} is not the code of one of the 98 municipalities (101 … 860)`, at);
  }
  return new FordelingError("FD_ERR_BAD_VALUE", `${shown} is out of range; allowed ${spec.min} … ${spec.max} (${spec.description})`, at);
}
