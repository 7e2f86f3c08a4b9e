/**
 * The two astronomical events the Vietnamese lunisolar calendar is built on: new moons and the
 * Sun's apparent longitude. Written from Jean Meeus, "Astronomical Algorithms" (2nd ed., 1998):
 * chapter 49 (phases of the Moon), chapter 25 (solar coordinates, low accuracy), chapter 27
 * (equinoxes and solstices, by iteration on the longitude) and the ΔT polynomials of Espenak and
 * Meeus (NASA, 2006). Accuracy: new moons within about 20 seconds (plus the uncertainty of ΔT
 * in future years), the Sun's longitude within about 0.01° (≈ 15 minutes). That places both on
 * the right civil day in UTC+7 unless the event falls within that margin of midnight: from 1968
 * to 2199 the only month on which this disagrees with the common published tables starts with
 * the new moon of 8/5/2054, computed 22 seconds after midnight.
 *
 * Julian Days here are JD in Universal Time unless the name says JDE (Terrestrial Time).
 */

const DEG = Math.PI / 180;
const sin = (degrees: number) => Math.sin(degrees * DEG);

/** Epoch of new moon k = 0 (2000-01-06), Meeus 49.1. */
const NEW_MOON_EPOCH_JDE = 2451550.09766;
export const SYNODIC_MONTH = 29.530588861;

/** JDE of new moon number k (k = 0 is 2000-01-06; integer k only), Meeus chapter 49. */
export function newMoonJde(k: number): number {
  const t = k / 1236.85;
  const t2 = t * t;
  const t3 = t2 * t;
  const t4 = t3 * t;
  let jde = NEW_MOON_EPOCH_JDE + SYNODIC_MONTH * k + 0.00015437 * t2 - 0.00000015 * t3 + 0.00000000073 * t4;

  const e = 1 - 0.002516 * t - 0.0000074 * t2;
  const m = 2.5534 + 29.1053567 * k - 0.0000014 * t2 - 0.00000011 * t3; // Sun's mean anomaly
  const mp = 201.5643 + 385.81693528 * k + 0.0107582 * t2 + 0.00001238 * t3 - 0.000000058 * t4; // Moon's
  const f = 160.7108 + 390.67050284 * k - 0.0016118 * t2 - 0.00000227 * t3 + 0.000000011 * t4;
  const omega = 124.7746 - 1.56375588 * k + 0.0020672 * t2 + 0.00000215 * t3;

  // Periodic terms for the new moon (Meeus, table in 49, "New Moon" column).
  jde +=
    -0.4072 * sin(mp) +
    0.17241 * e * sin(m) +
    0.01608 * sin(2 * mp) +
    0.01039 * sin(2 * f) +
    0.00739 * e * sin(mp - m) -
    0.00514 * e * sin(mp + m) +
    0.00208 * e * e * sin(2 * m) -
    0.00111 * sin(mp - 2 * f) -
    0.00057 * sin(mp + 2 * f) +
    0.00056 * e * sin(2 * mp + m) -
    0.00042 * sin(3 * mp) +
    0.00042 * e * sin(m + 2 * f) +
    0.00038 * e * sin(m - 2 * f) -
    0.00024 * e * sin(2 * mp - m) -
    0.00017 * sin(omega) -
    0.00007 * sin(mp + 2 * m) +
    0.00004 * sin(2 * mp - 2 * f) +
    0.00004 * sin(3 * m) +
    0.00003 * sin(mp + m - 2 * f) +
    0.00003 * sin(2 * mp + 2 * f) -
    0.00003 * sin(mp + m + 2 * f) +
    0.00003 * sin(mp - m + 2 * f) -
    0.00002 * sin(mp - m - 2 * f) -
    0.00002 * sin(3 * mp + m) +
    0.00002 * sin(4 * mp);

  // Additional corrections common to all phases (planetary arguments A1–A14; A1 has a T² term).
  jde += 0.000325 * sin(299.77 + 0.107408 * k - 0.009173 * t2);
  const planetary: ReadonlyArray<readonly [number, number, number]> = [
    [0.000165, 251.88, 0.016321],
    [0.000164, 251.83, 26.651886],
    [0.000126, 349.42, 36.412478],
    [0.00011, 84.66, 18.206239],
    [0.000062, 141.74, 53.303771],
    [0.00006, 207.14, 2.453732],
    [0.000056, 154.84, 7.30686],
    [0.000047, 34.52, 27.261239],
    [0.000042, 207.19, 0.121824],
    [0.00004, 291.34, 1.844379],
    [0.000037, 161.72, 24.198154],
    [0.000035, 239.56, 25.513099],
    [0.000023, 331.55, 3.592518],
  ];
  for (const [coefficient, a0, a1] of planetary) jde += coefficient * sin(a0 + a1 * k);
  return jde;
}

/** The new moon number whose mean date is nearest to a JD (Meeus 49.2 inverted). */
export function nearestNewMoonNumber(jd: number): number {
  return Math.round((jd - NEW_MOON_EPOCH_JDE) / SYNODIC_MONTH);
}

/** Sun's apparent longitude in degrees [0, 360) at a JDE, Meeus chapter 25 (low accuracy). */
export function sunApparentLongitude(jde: number): number {
  const t = (jde - 2451545.0) / 36525;
  const l0 = 280.46646 + 36000.76983 * t + 0.0003032 * t * t;
  const m = 357.52911 + 35999.05029 * t - 0.0001537 * t * t;
  const c =
    (1.914602 - 0.004817 * t - 0.000014 * t * t) * sin(m) +
    (0.019993 - 0.000101 * t) * sin(2 * m) +
    0.000289 * sin(3 * m);
  const omega = 125.04 - 1934.136 * t;
  const lambda = l0 + c - 0.00569 - 0.00478 * sin(omega);
  return ((lambda % 360) + 360) % 360;
}

/**
 * JDE at which the Sun's apparent longitude reaches `longitude` degrees, searching from an
 * estimate within a few days of it (Meeus chapter 27: correct by 58·sin(target − λ) days).
 */
export function sunReachesLongitude(longitude: number, estimateJde: number): number {
  let jde = estimateJde;
  for (let i = 0; i < 50; i++) {
    const correction = 58 * sin(longitude - sunApparentLongitude(jde));
    jde += correction;
    if (Math.abs(correction) < 1e-6) break;
  }
  return jde;
}

/** ΔT = TT − UT in seconds for a decimal year, Espenak & Meeus polynomials (1860 onwards). */
export function deltaTSeconds(year: number): number {
  if (year < 1860) throw new RangeError(`ΔT is not modelled before 1860: ${year}`);
  if (year < 1900) {
    const t = year - 1860;
    return (
      7.62 + 0.5737 * t - 0.251754 * t ** 2 + 0.01680668 * t ** 3 - 0.0004473624 * t ** 4 + t ** 5 / 233174
    );
  }
  if (year < 1920) {
    const t = year - 1900;
    return -2.79 + 1.494119 * t - 0.0598939 * t ** 2 + 0.0061966 * t ** 3 - 0.000197 * t ** 4;
  }
  if (year < 1941) {
    const t = year - 1920;
    return 21.2 + 0.84493 * t - 0.0761 * t ** 2 + 0.0020936 * t ** 3;
  }
  if (year < 1961) {
    const t = year - 1950;
    return 29.07 + 0.407 * t - t ** 2 / 233 + t ** 3 / 2547;
  }
  if (year < 1986) {
    const t = year - 1975;
    return 45.45 + 1.067 * t - t ** 2 / 260 - t ** 3 / 718;
  }
  if (year < 2005) {
    const t = year - 2000;
    return (
      63.86 +
      0.3345 * t -
      0.060374 * t ** 2 +
      0.0017275 * t ** 3 +
      0.000651814 * t ** 4 +
      0.00002373599 * t ** 5
    );
  }
  if (year < 2050) {
    const t = year - 2000;
    return 62.92 + 0.32217 * t + 0.005589 * t ** 2;
  }
  const u = (year - 1820) / 100;
  return year < 2150 ? -20 + 32 * u * u - 0.5628 * (2150 - year) : -20 + 32 * u * u;
}

/** Decimal year of a JD, precise enough for ΔT. */
function decimalYear(jd: number): number {
  return 2000 + (jd - 2451545.0) / 365.25;
}

export function jdeToJdUt(jde: number): number {
  return jde - deltaTSeconds(decimalYear(jde)) / 86400;
}

export function jdUtToJde(jd: number): number {
  return jd + deltaTSeconds(decimalYear(jd)) / 86400;
}
