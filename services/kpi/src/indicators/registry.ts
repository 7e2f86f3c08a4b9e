import type { Criterion } from './criterion';
import { citizenStore } from './criteria/digitization-citizen-store';
import { digitized } from './criteria/digitization-digitized';
import { eCertifiedCopies } from './criteria/digitization-e-certified-copies';
import { eResult } from './criteria/digitization-e-result';
import { populationData } from './criteria/digitization-population-data';
import { reuse } from './criteria/digitization-reuse';
import { dossiersOnline } from './criteria/online-dossiers';
import { proceduresOffered } from './criteria/online-procedures-offered';
import { servicesUsed } from './criteria/online-services-used';
import { dossiersPaidOnline } from './criteria/payment-dossiers-paid-online';
import { paymentOffered } from './criteria/payment-procedures-offered';
import { paymentUsed } from './criteria/payment-procedures-used';
import { progressOnTime } from './criteria/progress-on-time';
import { dossierHandling } from './criteria/satisfaction-dossier-handling';
import { feedbackHandling } from './criteria/satisfaction-feedback-handling';
import { feedbackOnTime } from './criteria/satisfaction-feedback-on-time';
import { completeContent } from './criteria/transparency-complete-content';
import { madePublicOnTime } from './criteria/transparency-made-public-on-time';
import { publishedOnTime } from './criteria/transparency-published-on-time';
import { syncedNationalPortal } from './criteria/transparency-synced-national-portal';
import type { IndicatorRuleSet } from './rule-set';

/** Every criterion the service can count, by id. A rule set may only name these. */
export const CRITERIA: ReadonlyMap<string, Criterion> = new Map(
  [
    publishedOnTime,
    madePublicOnTime,
    completeContent,
    syncedNationalPortal,
    progressOnTime,
    proceduresOffered,
    servicesUsed,
    dossiersOnline,
    paymentOffered,
    paymentUsed,
    dossiersPaidOnline,
    eResult,
    digitized,
    reuse,
    citizenStore,
    populationData,
    eCertifiedCopies,
    feedbackOnTime,
    feedbackHandling,
    dossierHandling,
  ].map((c) => [c.id, c]),
);

/** The criteria a rule set names that the service cannot count (a rule set naming one is refused). */
export function unknownCriteria(set: IndicatorRuleSet): string[] {
  return set.groups.flatMap((g) => g.criteria.map((c) => c.id)).filter((id) => !CRITERIA.has(id));
}
