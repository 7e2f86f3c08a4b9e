import type { Role } from '@tthc/contracts';

export type Access = 'public' | readonly Role[];
type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | '*';

const OFFICERS = ['desk_officer', 'processing_officer', 'leader'] as const;
const HANDLERS = ['desk_officer', 'processing_officer'] as const;

/**
 * Who may call what, first match wins; anything not listed is for administrators only (deny
 * by default). The administrator may call every route. The table is in the README too.
 */
export const POLICY: readonly { method: Method; path: RegExp; access: Access; note: string }[] = [
  // ── National integration (issue 18): the portals' calls and the national sync's operators' routes.
  // First in the table because first match wins (the portal's supplement before the handlers' row).
  {
    method: 'POST',
    path: /^\/v1\/dossiers\/[^/]+\/complete-supplement$/,
    access: ['portal', 'desk_officer', 'processing_officer'],
    note: 'the applicant completed the supplement on the portal (or at the desk)',
  },
  {
    method: '*',
    path: /^\/v1\/national-sync(\/.*)?$/,
    access: [],
    note: 'national sync: mapping, dead letters, re-push, reconciliation (admin)',
  },
  // ── end of the national integration rows.
  {
    method: 'GET',
    path: /^\/v1\/tracking\/[^/]+$/,
    access: 'public',
    note: 'citizen tracking (needs the second factor)',
  },
  {
    method: 'POST',
    path: /^\/v1\/notifications\/callbacks\/[^/]+$/,
    access: 'public',
    note: 'delivery reports of message providers (token checked by the service)',
  },
  {
    method: 'GET',
    path: /^\/v1\/procedures\/(statistics|export)$/,
    access: ['reporter', 'leader'],
    note: 'catalogue figures and exports',
  },
  {
    method: 'GET',
    path: /^\/v1\/(procedures|fields|agencies)(\/.*)?$/,
    access: 'public',
    note: 'the published catalogue (public by law)',
  },
  {
    method: 'GET',
    path: /^\/v1\/calendar\/due-date$/,
    access: 'public',
    note: 'the appointment a receipt would get (told to citizens before filing)',
  },
  { method: 'POST', path: /^\/v1\/dossiers$/, access: ['portal', 'desk_officer'], note: 'file a dossier' },
  { method: 'POST', path: /^\/v1\/dossiers\/import$/, access: [], note: 'historical import (admin)' },
  { method: 'GET', path: /^\/v1\/dossiers$/, access: OFFICERS, note: 'desk lists' },
  {
    method: 'GET',
    path: /^\/v1\/dossiers\/[^/]+(\/history|\/notifications|\/slips\/\d\d)?$/,
    access: OFFICERS,
    note: 'a dossier, its trail, messages and slips',
  },
  {
    method: 'POST',
    path: /^\/v1\/dossiers\/[^/]+\/(accept|refuse|withdraw|return)$/,
    access: ['desk_officer'],
    note: 'desk actions',
  },
  {
    method: 'POST',
    path: /^\/v1\/dossiers\/[^/]+\/(assign|request-supplement|complete-supplement|request-payment|resolve|stop)$/,
    access: HANDLERS,
    note: 'processing actions',
  },
  {
    method: 'POST',
    path: /^\/v1\/dossiers\/[^/]+\/steps\/\d+\/complete$/,
    access: HANDLERS,
    note: 'an agency ends its own step (inter-agency)',
  },
  {
    method: 'POST',
    path: /^\/v1\/dossiers\/[^/]+\/reschedule$/,
    access: ['processing_officer', 'leader'],
    note: 'apology with a new date',
  },
  {
    method: 'POST',
    path: /^\/v1\/dossiers\/[^/]+\/(payments|rating)$/,
    access: ['portal', 'desk_officer'],
    note: 'payments and ratings',
  },
  {
    method: 'GET',
    path: /^\/v1\/dossiers\/[^/]+\/notification-preferences$/,
    access: OFFICERS,
    note: "the applicant's channel choice",
  },
  {
    method: 'PUT',
    path: /^\/v1\/dossiers\/[^/]+\/notification-preferences$/,
    access: ['portal', 'desk_officer'],
    note: "record the applicant's channel choice",
  },
  { method: 'POST', path: /^\/v1\/feedback$/, access: ['portal', 'desk_officer'], note: 'receive feedback' },
  {
    method: 'POST',
    path: /^\/v1\/feedback\/[^/]+\/rating$/,
    access: ['portal'],
    note: 'rate the answer to a feedback',
  },
  {
    method: 'POST',
    path: /^\/v1\/feedback\/[^/]+\/(assign|answer)$/,
    access: ['processing_officer', 'leader'],
    note: 'handle feedback',
  },
  { method: 'GET', path: /^\/v1\/feedback(\/.*)?$/, access: OFFICERS, note: 'feedback lists' },
  {
    method: 'GET',
    path: /^\/v1\/kpi\/(frameworks|target-indicators)(\/.*)?$/,
    access: ['reporter', 'leader', 'assessor'],
    note: 'reform-index frameworks and their results (assessors read what they score); before the general kpi row, first match wins',
  },
  {
    method: 'GET',
    path: /^\/v1\/(kpi|reports)(\/.*)?$/,
    access: ['reporter', 'leader'],
    note: 'figures and reports',
  },
  { method: 'POST', path: /^\/v1\/reports$/, access: ['reporter', 'leader'], note: 'request a report' },
  {
    method: 'POST',
    path: /^\/v1\/reports\/[^/]+\/revisions$/,
    access: ['reporter', 'leader'],
    note: 'a new version of a report (narrative edited, correction)',
  },
  { method: 'POST', path: /^\/v1\/reports\/[^/]+\/issue$/, access: ['leader'], note: 'issue a report' },
  {
    method: 'GET',
    path: /^\/v1\/(calendar|rule-sets)(\/.*)?$/,
    access: [...OFFICERS, 'reporter'],
    note: 'calendar and rule sets',
  },
  {
    method: 'PUT',
    path: /^\/v1\/kpi\/targets$/,
    access: ['leader'],
    note: 'set or change a yearly target (audited)',
  },
  {
    method: 'DELETE',
    path: /^\/v1\/kpi\/targets\/[^/]+$/,
    access: ['leader'],
    note: 'remove a yearly target (audited)',
  },
  {
    method: 'POST',
    path: /^\/v1\/kpi\/targets\/import$/,
    access: ['leader'],
    note: 'import yearly targets from XLSX (all rows or none)',
  },
  {
    method: 'POST',
    path: /^\/v1\/kpi\/frameworks\/[^/]+\/\d{4}\/scores$/,
    access: ['assessor'],
    note: 'manual scores of a reform-index criterion, with evidence (self-assessment or appraisal)',
  },
  {
    method: 'POST',
    path: /^\/v1\/kpi\/(plan-tasks|reform-registers)$/,
    access: ['leader'],
    note: 'reform plan tasks and the registers of documents, inspections and communication',
  },
  {
    method: 'PUT',
    path: /^\/v1\/kpi\/(plan-tasks|reform-registers)\/[^/]+$/,
    access: ['leader'],
    note: 'change a plan task or a register entry (audited)',
  },
];

export function accessFor(method: string, path: string): Access {
  const rule = POLICY.find((r) => (r.method === '*' || r.method === method) && r.path.test(path));
  return rule?.access ?? [];
}

export function allowed(access: Access, roles: readonly Role[]): boolean {
  if (access === 'public') return true;
  return roles.includes('admin') || roles.some((r) => access.includes(r));
}
