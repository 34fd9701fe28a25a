import { basename, isAbsolute, relative, sep } from "node:path";
import type { ErrorLocation } from "../errors.js";
import { PACKAGE_ROOT } from "../paths.js";

/**
 * Nothing the API serves names the server's directory layout: a path inside the data dir is
 * shown relative to it (`registers/bad.csv`), one inside the installed package relative to
 * that (`data/model/…`), and any other absolute path by its file name alone.
 */
export function publicPath(path: string, dataDirRoot: string): string {
  if (!isAbsolute(path)) return path;
  for (const root of [dataDirRoot, PACKAGE_ROOT]) {
    const rel = relative(root, path);
    if (rel === "") return ".";
    if (!rel.startsWith("..") && !isAbsolute(rel)) return rel.split(sep).join("/");
  }
  return basename(path);
}

/** Absolute paths inside a text: after a start, space, quote, bracket or '='; up to a space, quote, comma, colon or bracket. */
const ABSOLUTE_PATH = /(^|[\s'"`(=[])(\/[^\s'"`,:;()[\]]+)/gu;

export function withoutServerPathsInText(text: string, dataDirRoot: string): string {
  return text.replace(ABSOLUTE_PATH, (_match, lead: string, path: string) => `${lead}${publicPath(path, dataDirRoot)}`);
}

/** An error as served: message and location.file without server paths. */
export function publicErrorBody<E extends { code: string; message: string; location: ErrorLocation }>(error: E, dataDirRoot: string): E {
  const location = { ...error.location };
  if (location.file !== undefined) location.file = publicPath(location.file, dataDirRoot);
  return { ...error, message: withoutServerPathsInText(error.message, dataDirRoot), location };
}
