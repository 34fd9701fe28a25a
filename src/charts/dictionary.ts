/**
 * Every label of the charts and the dashboard, in Danish and English: one dictionary, so the
 * CLI's SVG files and the page say the same thing. `explain.*` entries are the hover texts of
 * Danish domain terms.
 */
export const LANGUAGES = ["da", "en"] as const;
export type Language = (typeof LANGUAGES)[number];

const ENTRIES = {
  "app.title": ["Fordeling: lægekapacitet og behov", "Fordeling: GP capacity and need"],
  "app.language": ["Sprog", "Language"],
  "app.switchTo": ["English", "Dansk"],
  "nav.map": ["Kort", "Map"],
  "nav.fans": ["Vifter", "Fan charts"],
  "nav.runs": ["Kørsler", "Runs"],
  "nav.compare": ["Sammenlign", "Compare"],
  "area.denmark": ["Danmark", "Denmark"],
  "term.council": ["sundhedsråd", "health council (sundhedsråd)"],
  "term.municipality": ["kommune", "municipality (kommune)"],
  "explain.council": [
    "Sundhedsråd: et af 17 råd fra sundhedsreformen, der fra 2027 samler en region og dens kommuner om det nære sundhedsvæsen.",
    "Sundhedsråd: one of the 17 health councils of the 2024 health reform; from 2027 each joins a region and its municipalities.",
  ],
  "explain.municipality": ["Kommune: en af Danmarks 98 kommuner.", "Kommune: one of Denmark's 98 municipalities."],
  "control.run": ["Kørsel", "Run"],
  "control.level": ["Niveau", "Level"],
  "control.measure": ["Mål", "Measure"],
  "control.year": ["År", "Year"],
  "control.scale": ["Skala", "Scale"],
  "control.scaleShared": ["Fælles skala for sundhedsråd", "One scale for all councils"],
  "control.scalePanel": ["Egen skala pr. panel", "Own scale per panel"],
  "control.runA": ["Kørsel A", "Run A"],
  "control.runB": ["Kørsel B", "Run B"],
  "level.council": ["Sundhedsråd", "Health councils"],
  "level.municipality": ["Kommuner", "Municipalities"],
  "level.national": ["Hele landet", "Nation"],
  "measure.gap": ["Forskel (udbud − behov)", "Gap (supply − need)"],
  "measure.need": ["Behov", "Need"],
  "measure.supply": ["Udbud", "Supply"],
  "measure.p_short": ["Sandsynlighed for mangel", "Probability of shortage"],
  "measure.avg_weight": ["Gennemsnitlig vægt", "Average weight"],
  "measure.min_list": ["Mindste liste (median)", "Minimum list (median)"],
  "measure.without_gp": ["Borgere uden læge", "Residents without a GP"],
  "measure.beyond_15km": ["Borgere over 15 km fra lægen", "Residents failing the 15 km rule"],
  "unit.capacities": ["lægekapaciteter", "GP capacities"],
  "unit.probability": ["sandsynlighed", "probability"],
  "unit.weightPerResident": ["vægt pr. borger", "weight per resident"],
  "unit.patientsPerCapacity": ["patienter pr. kapacitet", "patients per capacity"],
  "unit.residents": ["borgere", "residents"],
  "legend.high": ["Høj", "High"],
  "legend.low": ["Lav", "Low"],
  "legend.shortage": ["Mangel", "Shortage"],
  "legend.surplus": ["Overskud", "Surplus"],
  "fan.needMedian": ["Behov, median", "Need, median"],
  "fan.needBand": ["Behov, P5–P95", "Need, P5–P95"],
  "fan.supplyMedian": ["Udbud, median", "Supply, median"],
  "fan.supplyBand": ["Udbud, P5–P95", "Supply, P5–P95"],
  "fan.title": ["Behov og udbud af lægekapacitet", "Need and supply of GP capacity"],
  "fan.caption": [
    "Median og P5–P95 over {replications} gentagelser; scenarie {scenario}, frø {seed}",
    "Median and P5–P95 over {replications} replications; scenario {scenario}, seed {seed}",
  ],
  "fan.nationalOwnScale": ["Danmark har sin egen skala", "Denmark has its own scale"],
  "map.title": ["{measure}, {year}", "{measure}, {year}"],
  "map.noData": ["ingen data", "no data"],
  "map.attribution": ["Indeholder data fra Geodatastyrelsen (DAGI/FOT, 2014)", "Contains data from Geodatastyrelsen (DAGI/FOT, 2014)"],
  "map.clickHint": ["Klik på et område for at åbne det", "Click an area to open it"],
  "area.close": ["Luk", "Close"],
  "runs.title": ["Gemte kørsler", "Stored runs"],
  "runs.empty": ["Ingen kørsler endnu", "No runs yet"],
  "runs.id": ["Id", "Id"],
  "runs.status": ["Status", "Status"],
  "runs.scenario": ["Scenarie", "Scenario"],
  "runs.created": ["Oprettet", "Created"],
  "runs.open": ["Vis", "Show"],
  "runs.refresh": ["Opdater", "Refresh"],
  "form.title": ["Start en kørsel", "Start a run"],
  "form.replications": ["Gentagelser", "Replications"],
  "form.seed": ["Frø", "Seed"],
  "form.horizon": ["Sidste år", "Last year"],
  "form.scale": ["Befolkningens skala (andel af 6,0 mio.)", "Population scale (share of 6.0 M)"],
  "form.populationSeed": ["Befolkningens frø", "Population seed"],
  "form.scenarioId": ["Scenariets navn", "Scenario name"],
  "form.parameters": ["Parametre (tom = grundforløb)", "Parameters (empty = baseline)"],
  "form.submit": ["Start kørsel", "Start run"],
  "form.range": ["interval", "range"],
  "form.source": ["kilde", "source"],
  "form.baseline": ["grundværdi", "baseline"],
  "progress.label": ["Fremdrift", "Progress"],
  "progress.eta": ["ca. {seconds} s tilbage", "about {seconds} s left"],
  "progress.done": ["Færdig", "Done"],
  "progress.failed": ["Fejlede", "Failed"],
  "compare.title": ["Sammenlign to kørsler", "Compare two runs"],
  "compare.plain": [
    "Simple forskelle B − A uden usikkerhedsinterval",
    "Plain differences B − A, without uncertainty intervals",
  ],
  "compare.show": ["Sammenlign", "Compare"],
  "compare.area": ["Område", "Area"],
  "compare.a": ["A", "A"],
  "compare.b": ["B", "B"],
  "compare.diff": ["B − A", "B − A"],
  "download.title": ["Hent", "Download"],
  "download.csv": ["Tabel (CSV)", "Table (CSV)"],
  "download.arrow": ["Tabel (Arrow)", "Table (Arrow)"],
  "download.svg": ["Figur (SVG)", "Chart (SVG)"],
  "download.png": ["Figur (PNG)", "Chart (PNG)"],
  "table.title": ["Tabel", "Table"],
  "error.title": ["Fejl", "Error"],
  "status.queued": ["i kø", "queued"],
  "status.running": ["kører", "running"],
  "status.succeeded": ["færdig", "succeeded"],
  "status.failed": ["fejlet", "failed"],
  "status.cancelled": ["annulleret", "cancelled"],
  "status.interrupted": ["afbrudt", "interrupted"],
} as const satisfies Record<string, readonly [string, string]>;

export type LabelKey = keyof typeof ENTRIES;

/** The label in a language, with `{name}` placeholders filled from `values`. */
export function label(lang: Language, key: LabelKey, values: Record<string, string | number> = {}): string {
  const text = ENTRIES[key][lang === "da" ? 0 : 1];
  return text.replace(/\{(\w+)\}/gu, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

export function isLabelKey(key: string): key is LabelKey {
  return Object.hasOwn(ENTRIES, key);
}

export const LABEL_KEYS = Object.keys(ENTRIES) as LabelKey[];
