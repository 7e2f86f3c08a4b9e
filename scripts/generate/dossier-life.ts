import { vnInstant, type CivilDate } from '@tthc/calendar';
import type { Channel } from '@tthc/contracts';
import { DossierStory, type GeneratedDossier, type Procedure, type StoryContext } from './dossier-story';

/**
 * The shape of a province-year, roughly as provincial one-stop systems report it: how dossiers
 * come in and how they end. Every share is a parameter of the draw, not a claim about a province.
 */
export const MIX = {
  /** Channel shares by the procedure's online level (only channels the procedure offers). */
  channels: {
    full: [
      ['online', 0.62],
      ['direct', 0.3],
      ['postal', 0.08],
    ],
    partial: [
      ['online', 0.35],
      ['direct', 0.55],
      ['postal', 0.1],
    ],
    none: [
      ['direct', 0.85],
      ['postal', 0.15],
    ],
  } as Record<string, [Channel, number][]>,
  /** Online submissions refused at acceptance (never received: they count nowhere). */
  refusedOnline: 0.02,
  supplement: 0.12,
  secondSupplement: 0.15,
  supplementAbandoned: 0.06,
  paymentWait: 0.06,
  onlinePaymentWhenOffered: 0.75,
  reschedule: 0.03,
  withdrawn: 0.015,
  stopped: 0.01,
  outcome: [
    ['early', 0.64],
    ['on_time', 0.26],
    ['late', 0.1],
  ] as ['early' | 'on_time' | 'late', number][],
  returned: 0.93,
  eResultOnline: 0.75,
  resultDigitized: 0.85,
  rated: 0.35,
  rating: [
    ['satisfied', 0.86],
    ['normal', 0.11],
    ['not_satisfied', 0.03],
  ] as ['satisfied' | 'normal' | 'not_satisfied', number][],
};

/** One dossier received on a working day: drawn from submission to its end (or to now). */
export function drawDossier(ctx: StoryContext, procedure: Procedure, day: CivilDate): GeneratedDossier {
  const { rng } = ctx;
  const offered = new Set(procedure.methods.map((m) => m.channel));
  const shares = (MIX.channels[procedure.row.online_level] ?? MIX.channels['none']!).filter(([c]) =>
    offered.has(c),
  );
  const channel = shares.length > 0 ? rng.weighted(shares) : (procedure.methods[0]?.channel ?? 'direct');
  const minute = rng.chance(0.5) ? rng.int(7 * 60 + 30, 11 * 60 + 29) : rng.int(13 * 60, 16 * 60 + 59);
  const receivedAt = vnInstant(day, minute);
  // Online filings wait for the desk's acceptance: submitted a few minutes to a day before.
  const submittedAt =
    channel === 'online' ? new Date(receivedAt.getTime() - rng.int(10, 24 * 60) * 60_000) : receivedAt;
  const s = new DossierStory(ctx, procedure, channel, submittedAt);
  const p = procedure.row;
  const feeBearing = p.fee_bearing;
  const payOnline =
    channel === 'online' && p.online_payment === true && rng.chance(MIX.onlinePaymentWhenOffered);

  if (channel === 'online') {
    s.submit();
    if (rng.chance(MIX.refusedOnline)) return s.refuse(receivedAt).finish();
  }
  s.receive(receivedAt);
  // Most fees are paid with the filing; some are asked for during processing (the clock waits).
  const waitForPayment = feeBearing && rng.chance(MIX.paymentWait);
  if (feeBearing && !waitForPayment) s.pay(new Date(receivedAt.getTime() + 60_000), payOnline);
  s.assign();

  if (rng.chance(MIX.supplement)) {
    s.requestSupplement();
    if (rng.chance(MIX.supplementAbandoned)) {
      if (rng.chance(0.5)) s.end('withdrawn');
      return s.finish();
    }
    s.completeSupplement();
    if (rng.chance(MIX.secondSupplement)) s.requestSupplement().completeSupplement();
  }
  if (waitForPayment) {
    s.requestPayment();
    s.pay(s.nextAt(1, 4), payOnline);
  }

  const ending = rng.next();
  if (ending < MIX.withdrawn) return s.end('withdrawn').finish();
  if (ending < MIX.withdrawn + MIX.stopped) return s.end('stopped').finish();

  const kind = rng.weighted(MIX.outcome);
  if (kind === 'late' && rng.chance(MIX.reschedule / 0.1)) s.reschedule();
  const resolvedAt = s.resolutionTime(kind);
  s.interAgencySteps(resolvedAt);
  const eResult = p.result_is_paper !== true && channel === 'online' && rng.chance(MIX.eResultOnline);
  s.resolve(resolvedAt, eResult, eResult || rng.chance(MIX.resultDigitized));
  if (rng.chance(MIX.returned)) {
    s.giveBack(eResult ? 'online' : channel === 'postal' ? 'post' : 'desk');
    if (rng.chance(channel === 'online' ? MIX.rated * 1.5 : MIX.rated * 0.6))
      s.rate(rng.weighted(MIX.rating));
  }
  return s.finish();
}
