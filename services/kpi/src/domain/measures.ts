/**
 * The counters every figure is made of, per group of dossiers. Received-side counters count
 * dossiers received in a period, ended-side counters dossiers that ended in it, stock counters
 * dossiers in progress at a day's end. Rollups hold the first two per day; the stocks come from
 * the timeline (figures/period-figures.ts).
 */
export const RECEIVED_MEASURES = [
  'received',
  'receivedOnline',
  'receivedDirectPostal',
  'feeBearing',
  'paidOnline',
  'digitized',
  'reused',
  'citizenStore',
  'populationKnown',
  'populationUsed',
  'syncedNational',
] as const;

export const ENDED_MEASURES = [
  'ended',
  'resolved',
  'legalEarly',
  'legalOnTime',
  'legalLate',
  'indEarly',
  'indOnTime',
  'indLate',
  'eResult',
  'resultDigitized',
  'dissatisfied',
  'satisfied',
] as const;

export const STOCK_MEASURES = [
  'carriedOver',
  'inProgress',
  'legalWithin',
  'legalOverdue',
  'indWithin',
  'indOverdue',
] as const;

export type ReceivedMeasure = (typeof RECEIVED_MEASURES)[number];
export type EndedMeasure = (typeof ENDED_MEASURES)[number];
export type StockMeasure = (typeof STOCK_MEASURES)[number];
export type Measure = ReceivedMeasure | EndedMeasure | StockMeasure;
export type Bag = Record<Measure, number>;

export const ALL_MEASURES: readonly Measure[] = [...RECEIVED_MEASURES, ...ENDED_MEASURES, ...STOCK_MEASURES];

export function emptyBag(): Bag {
  return Object.fromEntries(ALL_MEASURES.map((m) => [m, 0])) as Bag;
}

/** Adds `from` into `into`, times a sign (−1 takes a contribution away). */
export function addInto(into: Bag, from: Partial<Bag>, sign = 1): Bag {
  for (const [k, v] of Object.entries(from) as [Measure, number][]) into[k] += sign * v;
  return into;
}

export function sumBags(bags: Iterable<Partial<Bag>>): Bag {
  const out = emptyBag();
  for (const b of bags) addInto(out, b);
  return out;
}
