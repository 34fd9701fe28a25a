import type { Geography } from "../geo/geography.js";

/**
 * The non-bridged islands the island exception speaks of. Today these are the five
 * municipalities that are wholly such islands (`island_no_bridge = 1` in data/kommuner.csv:
 * Bornholm, Ærø, Fanø, Samsø, Læsø); smaller islands inside a municipality can join the list
 * with their own residents, need and capacities, which is why the rule takes a list and not
 * municipality flags.
 */
export interface Island {
  /** Stable id; a whole-island municipality uses its code, e.g. `"400"`. */
  id: string;
  name: string;
  councilIndex: number;
  /** The municipality the island lies in (for a whole-island municipality, itself). */
  municipalityIndex: number;
  residents: number;
  /** The island's own need and supply, capacities. */
  need: number;
  supply: number;
}

/** The whole-island municipalities with their own figures (arrays by municipality index). */
export function wholeIslandMunicipalities(
  geography: Geography,
  figures: { residents: ArrayLike<number>; need: ArrayLike<number>; supply: ArrayLike<number> },
): Island[] {
  return geography.municipalities
    .filter((m) => m.islandNoBridge)
    .map((m) => ({
      id: String(m.code),
      name: m.name,
      councilIndex: m.councilIndex,
      municipalityIndex: m.index,
      residents: figures.residents[m.index] ?? 0,
      need: figures.need[m.index] ?? 0,
      supply: figures.supply[m.index] ?? 0,
    }));
}
