/**
 * The value ranges of resident fields that more than one layer needs: the resident schema
 * (src/population/schema.ts, which re-exports them), the weight table (src/model/weightTable.ts)
 * and the kernels. Kept here, at the bottom of the import order, so the model does not import
 * the population layer (docs/ARCHITECTURE.md).
 */
export const MAX_AGE_YEARS = 110;
/** Chronic disease counts are capped: 7 means seven or more. */
export const MAX_CHRONIC_DISEASES = 7;
