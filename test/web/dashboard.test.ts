import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { FastifyInstance } from "fastify";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/api/app.js";
import { DASHBOARD_DIR } from "../../src/api/dashboard.js";
import { PACKAGE_ROOT } from "../../src/paths.js";

/**
 * The dashboard in a real browser: Debian's Chromium driven by playwright-core against a real
 * server with the real projection, on a loopback port. Screenshots and the measured figures go
 * to test-output/dashboard/ (git-ignored); the figures are reported, not asserted (docs/DASHBOARD.md).
 */
const CHROMIUM = "/usr/bin/chromium";
const OUTPUT = join(PACKAGE_ROOT, "test-output", "dashboard");
const POPULATION = { kind: "generated", scale: 0.01, seed: 3 };
const RUN_TIMEOUT_MS = 240_000;

describe.skipIf(!existsSync(CHROMIUM))("dashboard in Chromium", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "fordeling-web-"));
  const profile = mkdtempSync(join(tmpdir(), "fordeling-chromium-"));
  const errors: string[] = [];
  const requested: string[] = [];
  const figures: Record<string, number> = {};
  let app: FastifyInstance;
  let browser: BrowserContext;
  let page: Page;
  let base = "";

  beforeAll(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    app = await buildApp({ dataDir, threads: 2 });
    base = await app.listen({ host: "127.0.0.1", port: 0 });
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 900 },
      locale: "en-GB",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("request", (request) => requested.push(request.url()));
  });

  afterAll(async () => {
    writeFileSync(join(OUTPUT, "figures.json"), `${JSON.stringify(figures, null, 2)}\n`);
    process.stdout.write(`dashboard figures (loaded machine): ${JSON.stringify(figures)}\n`);
    await browser?.close();
    await app?.close();
    rmSync(profile, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(OUTPUT, `${name}.png`) });
  const areasDrawn = async (selector: string): Promise<number> => Number(await page.getAttribute(selector, "data-areas"));
  /** Chooses an option as a user would and returns, measured in the page, the time until the redrawn map's next frame. */
  const redraw = async (select: string, value: string, attribute: string): Promise<number> => {
    const ms = await page.evaluate(
      async ([selector, option]) => {
        const control = document.querySelector<HTMLSelectElement>(selector ?? "");
        if (control === null) return -1;
        const started = performance.now();
        control.value = option ?? "";
        control.dispatchEvent(new Event("change"));
        await new Promise((resolve) => requestAnimationFrame(resolve));
        return performance.now() - started;
      },
      [select, value],
    );
    await page.waitForSelector(`#map-chart[data-${attribute}="${value}"]`);
    return Math.round(ms);
  };

  /** The lowest contrast of any visible text of the page against its background (WCAG 2 formula). */
  const lowestContrast = (): Promise<{ ratio: number; text: string }> =>
    page.evaluate(() => {
      const rgb = (colour: string): number[] => (colour.match(/[\d.]+/gu) ?? []).map(Number);
      const luminance = ([r = 0, g = 0, b = 0]: number[]): number => {
        const f = (v: number): number => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
      };
      const background = (element: Element | null): number[] => {
        for (let e = element; e !== null; e = e.parentElement) {
          const c = rgb(getComputedStyle(e).backgroundColor);
          if ((c[3] ?? 1) > 0) return c;
        }
        return [255, 255, 255];
      };
      let worst = { ratio: 21, text: "" };
      for (const element of document.querySelectorAll("body *:not(svg *)")) {
        const own = [...element.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? "").trim() !== "");
        if (!own || (element as HTMLElement).offsetParent === null) continue;
        const [a, b] = [luminance(rgb(getComputedStyle(element).color)), luminance(background(element))];
        const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        if (ratio < worst.ratio) worst = { ratio, text: (element.textContent ?? "").trim().slice(0, 40) };
      }
      return worst;
    });

  it("loads with no console error and draws the map of councils before any run exists", async () => {
    const started = Date.now();
    await page.goto(`${base}/`);
    await page.waitForSelector("#map-chart[data-areas]");
    figures["first_view_driver_ms"] = Date.now() - started;
    figures["first_view_ms"] = Math.round(
      await page.evaluate(() => performance.getEntriesByName("fordeling:map-drawn")[0]?.startTime ?? -1),
    );
    figures["js_gzip_kb"] = Math.round(gzipSync(readFileSync(join(DASHBOARD_DIR, "app.js"))).byteLength / 1024);
    expect(await areasDrawn("#map-chart")).toBe(17);
    expect(errors).toEqual([]);
  });

  it("draws all 98 municipalities as areas of the map", async () => {
    await page.selectOption("#map-level", "municipality");
    await page.waitForSelector("#map-chart[data-areas='98']");
    expect(await page.locator("#map-chart svg path").count()).toBeGreaterThanOrEqual(98);
    await page.selectOption("#map-level", "council");
  });

  it("labels every control, so each is named to keyboard and screen-reader users", async () => {
    await page.click("[data-view=runs]");
    await page.waitForSelector("#run-form");
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLInputElement | HTMLSelectElement>("input, select")]
        .filter((e) => (e.labels?.length ?? 0) === 0)
        .map((e) => e.id),
    );
    expect(unlabelled).toEqual([]);
  });

  it("refuses an invalid value in the form with the API's own message beside the field", async () => {
    await page.fill("#run-replications", "0");
    await page.click("#run-submit");
    await page.waitForSelector("#run-replications[aria-invalid=true]");
    expect(await page.textContent("#run-replications-error")).toMatch(/must be >= 1/u);
    expect(await page.textContent("#run-form-error")).toContain("FD_ERR_BAD_VALUE");
  });

  it(
    "starts a run at scale 0.01 from the form, shows its progress, then its map and fan chart",
    async () => {
      errors.length = 0;
      await page.fill("#run-replications", "3");
      await page.fill("#run-horizon", "2028");
      await page.selectOption("#run-population", "generated");
      await page.fill("#run-scale", "0.01");
      await page.fill("#run-population-seed", String(POPULATION.seed));
      await page.click("#run-submit");
      await page.waitForSelector("#run-progress-bar");
      expect(await page.textContent("#run-progress")).toMatch(/started|startet/u);
      await shot("runs-progress");
      await page.waitForSelector("#view-map:not([hidden]) #map-chart[data-year='2028']", { timeout: RUN_TIMEOUT_MS });
      expect(await areasDrawn("#map-chart")).toBe(17);
      await shot("map-councils");
      // Click inside Jutland: the area opens beside the map with its own fan chart.
      const box = await page.locator("#map-chart").boundingBox();
      await page.mouse.click((box?.x ?? 0) + 230, (box?.y ?? 0) + 330);
      await page.waitForSelector("#area-title");
      expect(await page.locator("#area-chart svg").count()).toBe(1);
      await shot("map-area");
      await page.click("[data-view=fans]");
      await page.waitForSelector("#fan-chart[data-panels='18']");
      expect(await page.textContent("#fan-chart")).toContain("P5–P95");
      await shot("fan-charts");
      for (const view of ["fans", "runs", "map"]) {
        await page.click(`[data-view=${view}]`);
        await page.waitForSelector(`#view-${view}[data-ready=true]:not([hidden])`);
        const lowest = await lowestContrast();
        figures[`lowest_text_contrast_${view}`] = Math.round(lowest.ratio * 10) / 10;
        expect(lowest.ratio, `contrast of '${lowest.text}'`).toBeGreaterThanOrEqual(4.5);
      }
      expect(errors).toEqual([]);
    },
    RUN_TIMEOUT_MS + 30_000,
  );

  it("opens an area from the keyboard through the map's table", async () => {
    await page.click("[data-view=map]");
    await page.click("#map-table summary");
    await page.focus("#map-table tbody button");
    await page.keyboard.press("Enter");
    await page.waitForSelector("#area-title");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("area-title");
    expect(await page.locator("#area-panel [data-download=csv]").getAttribute("href")).toMatch(
      /results\/council\?area=[a-z-]+&format=csv$/u,
    );
  });

  it("redraws the map when the measure or the year changes", async () => {
    await page.click("[data-view=map]");
    await page.waitForSelector("#map-chart[data-measure='gap']");
    const before = await page.locator("#map-chart svg").innerHTML();
    const measureMs = await redraw("#map-measure", "need", "measure");
    expect(await page.locator("#map-chart svg").innerHTML()).not.toBe(before);
    const yearMs = await redraw("#map-year", "2026", "year");
    figures["map_redraw_ms"] = Math.max(measureMs, yearMs);
    figures["map_draw_in_page_ms"] = Number(await page.getAttribute("#map-chart", "data-render-ms"));
    expect(await page.textContent("#map-chart")).toContain("Need, 2026");
    await page.selectOption("#map-level", "municipality");
    await page.waitForSelector("#map-chart[data-areas='98']");
    await shot("map-municipalities");
    await page.selectOption("#map-level", "council");
    await page.waitForSelector("#map-chart[data-areas='17']");
  });

  it("downloads the map as SVG and PNG and its table as CSV and Excel", async () => {
    const saved = async (selector: string): Promise<{ name: string; bytes: Buffer }> => {
      const [download] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
      const path = await download.path();
      return { name: download.suggestedFilename(), bytes: readFileSync(path) };
    };
    const svg = await saved("#map-downloads [data-download=svg]");
    expect(svg.name).toMatch(/^map-council-.*\.svg$/u);
    expect(svg.bytes.toString("utf8")).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/u);
    const png = await saved("#map-downloads [data-download=png]");
    expect(png.name).toMatch(/\.png$/u);
    expect(png.bytes.subarray(1, 4).toString("latin1")).toBe("PNG");
    const csv = await saved("#map-downloads [data-download=csv]");
    expect(csv.bytes.toString("utf8").split(/\r?\n/u)[0]).toMatch(/^council_id,/u);
    const xlsx = await saved("#map-downloads [data-download=xlsx]");
    expect(xlsx.bytes.subarray(0, 2).toString("latin1")).toBe("PK");
  });

  it("switches every label between English and Danish", async () => {
    expect(await page.textContent("h1")).toBe("Fordeling: GP capacity and need");
    await page.click("#lang-switch");
    await page.waitForSelector("html[lang=da]");
    await page.waitForSelector("#map-chart[data-areas='17']");
    expect(await page.textContent("h1")).toBe("Fordeling: lægekapacitet og behov");
    expect(await page.textContent("[data-view=runs]")).toBe("Kørsler");
    expect(await page.textContent("#map-chart")).toContain("Behov, 2026");
    expect(await page.getAttribute("#view-map dfn", "title")).toMatch(/^Sundhedsråd: /u);
    await shot("map-danish");
    await page.click("#lang-switch");
    await page.waitForSelector("html[lang=en]");
  });

  it(
    "compares two runs: a difference map and a table with the API's 95 % intervals and method",
    async () => {
      const response = await fetch(`${base}/v1/runs`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          replications: 3,
          horizonYear: 2028,
          population: POPULATION,
          scenario: { id: "target-1500", parameters: { "capacity.targetWeightedResidentsPerCapacity": 1500 } },
        }),
      });
      const { id } = (await response.json()) as { id: string };
      const deadline = Date.now() + RUN_TIMEOUT_MS;
      for (let status = ""; status !== "succeeded"; ) {
        expect(Date.now()).toBeLessThan(deadline);
        expect(["failed", "cancelled", "interrupted"]).not.toContain(status);
        await new Promise((resolve) => setTimeout(resolve, 200));
        status = ((await (await fetch(`${base}/v1/runs/${id}`)).json()) as { status: string }).status;
      }
      await page.click("[data-view=runs]");
      await page.waitForSelector(`tr[data-run='${id}']`);
      await page.click("[data-view=compare]");
      await page.waitForSelector("#compare-chart[data-areas='17']");
      // Same seed and population: the API pairs the replications (docs/ANALYSIS.md).
      expect(await page.textContent("#compare-note")).toContain("Differences B − A with 95 % intervals (paired)");
      expect(await page.textContent("#compare-chart")).toContain("Higher in B");
      expect(await page.locator("#compare-table tbody tr").count()).toBe(18);
      expect(await page.textContent("#compare-table thead")).toContain("95 % interval");
      expect(await page.textContent("#compare-table tbody tr:first-child td:last-child")).toMatch(/…/u);
      await shot("compare");
      expect(errors).toEqual([]);
    },
    RUN_TIMEOUT_MS + 30_000,
  );

  it("reads everything through the public API: no private endpoint, no other host", () => {
    const paths = requested.filter((url) => !url.startsWith("blob:") && !url.startsWith("data:")).map((url) => new URL(url));
    expect(paths.length).toBeGreaterThan(10);
    expect(paths.filter((url) => url.origin !== new URL(base).origin)).toEqual([]);
    const outside = paths
      .map((url) => url.pathname)
      .filter((path) => !/^\/(v1\/.*|openapi\.json|app\.js|style\.css|index\.html)?$/u.test(path));
    expect(outside).toEqual([]);
  });
});
