// Builds the dashboard into dist/web: one bundled, minified script (ECharts included, no CDN),
// the page and its style sheet. Run by `npm run build` (so by `npm ci` too).
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const out = join(root, "dist", "web");
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(root, "web", "src", "main.ts")],
  outfile: join(out, "app.js"),
  bundle: true,
  minify: true,
  format: "esm",
  target: "es2022",
  platform: "browser",
  legalComments: "linked",
  logLevel: "warning",
});
for (const file of ["index.html", "style.css"]) copyFileSync(join(root, "web", file), join(out, file));
