/**
 * Great-circle distance on a sphere of the mean Earth radius (IUGG, 6,371.0088 km). Over the
 * few hundred kilometres of Denmark the spherical error against the ellipsoid stays under
 * 0.5 %, far below the road detour the access rule multiplies in (data/model/geo-parameters.json).
 */
export const EARTH_RADIUS_KM = 6371.0088;

const RADIANS = Math.PI / 180;

/** Haversine distance in km between two WGS84 points given in degrees. */
export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = (lat2 - lat1) * RADIANS;
  const dLon = (lon2 - lon1) * RADIANS;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RADIANS) * Math.cos(lat2 * RADIANS) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}
