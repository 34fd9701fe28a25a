/**
 * Colour-blind-safe colours. Lines: Okabe & Ito (2008). Maps: viridis (sequential; Smith & van
 * der Walt, matplotlib) and PuOr from ColorBrewer (diverging; marked colour-blind safe there).
 * Orange is the shortage side of a signed measure.
 */
export const LINE_COLOURS = { need: "#D55E00", supply: "#0072B2" } as const;
export const SEQUENTIAL = ["#440154", "#3b528b", "#21918c", "#5ec962", "#fde725"] as const;
export const DIVERGING = ["#b35806", "#f1a340", "#fee0b6", "#f7f7f7", "#d8daeb", "#998ec3", "#542788"] as const;
export const NO_DATA = "#d0d0d0";
/** Text and axis colours with at least 4.5:1 contrast on white (WCAG AA). */
export const TEXT = "#1a1a1a";
export const MUTED_TEXT = "#4d4d4d";
export const GRID_LINE = "#d9d9d9";
