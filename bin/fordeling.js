#!/usr/bin/env node
// The CLI runs the compiled program; `npm ci` (via `prepare`) builds it.
import { main } from "../dist/src/cli/main.js";

process.exitCode = await main(process.argv);
