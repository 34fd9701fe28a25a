import type { Geography } from "../../geo/geography.js";

/**
 * What a newly settling GP sees of a municipality before the year's shortage: how urban it is
 * and how far it lies from the university cities where GPs train. Both come from
 * data/kommuner.csv (population, area, centroid); computed once per run.
 */
export const UNIVERSITY_CITY_CODES = [101, 751, 461, 851] as const; // København, Aarhus, Odense, Aalborg

export interface PlaceFeatures {
  /** log(residents per km²), standardised over the 98 municipalities (mean 0, sd 1). */
  densityZ: Float64Array;
  /** Great-circle km from the centroid to the nearest university city's centroid. */
  universityDistanceKm: Float64Array;
}

const EARTH_RADIUS_KM = 6371;
const rad = (deg: number): number => (deg * Math.PI) / 180;

export function greatCircleKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const a = Math.sin(rad(lat2 - lat1) / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(rad(lon2 - lon1) / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

export function placeFeatures(geography: Geography): PlaceFeatures {
  const ms = geography.municipalities;
  const n = ms.length;
  const logDensity = ms.map((m) => Math.log(Math.max(1, m.population2026) / Math.max(1, m.areaKm2)));
  const mean = logDensity.reduce((s, x) => s + x, 0) / n;
  const sd = Math.sqrt(logDensity.reduce((s, x) => s + (x - mean) ** 2, 0) / n) || 1;
  const cities = ms.filter((m) => (UNIVERSITY_CITY_CODES as readonly number[]).includes(m.code));
  return {
    densityZ: Float64Array.from(logDensity, (x) => (x - mean) / sd),
    universityDistanceKm: Float64Array.from(ms, (m) => Math.min(...cities.map((c) => greatCircleKm(m.lat, m.lon, c.lat, c.lon)))),
  };
}
