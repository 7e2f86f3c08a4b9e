import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allQueues } from '@tthc/contracts';
import { eventually } from '@tthc/testkit';
import { parse } from 'yaml';
import { FILING } from '../support/filings';
import { startSuite, type Suite } from '../support/suite';

/**
 * The operators' dashboard and alert rules (deploy/observability) name only metrics the processes
 * export, and cover what an operator watches; the gauges added for them read what they say.
 */

const DIR = join(__dirname, '..', '..', 'deploy', 'observability');

interface Rule {
  alert?: string;
  expr?: unknown;
  labels?: Record<string, unknown>;
  annotations?: Record<string, unknown>;
}
interface Panel {
  type: string;
  title?: string;
  targets?: { expr?: string }[];
}

/** PromQL words that are not metrics: aggregations, functions, keywords. */
const PROMQL_WORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'bool',
  'offset',
]);
/** Series Prometheus makes itself, not the processes. */
const PROMETHEUS_OWN = new Set(['up']);

/** The metric names a PromQL expression reads. */
export function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const m of bare.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const after = bare.slice(m.index + m[0].length);
    if (/^\s*\(/.test(after) || PROMQL_WORDS.has(m[0])) continue;
    names.add(m[0]);
  }
  return [...names];
}

const rulesFile = parse(readFileSync(join(DIR, 'prometheus-rules.yaml'), 'utf8')) as {
  groups: { name: string; rules: Rule[] }[];
};
const dashboard = JSON.parse(readFileSync(join(DIR, 'grafana-dashboard.json'), 'utf8')) as {
  uid: string;
  panels: Panel[];
};
const rules = rulesFile.groups.flatMap((g) => g.rules);
const ruleExprs = rules.map((r) => String(r.expr));
const panelExprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr ?? ''));

/** The metric names a process's /metrics exports, with a histogram's series. */
async function exported(url: string, headers: Record<string, string> = {}): Promise<Set<string>> {
  const res = await fetch(`${url}/metrics`, { headers });
  expect(res.status).toBe(200);
  const names = new Set<string>();
  for (const [, name, type] of (await res.text()).matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name!);
    if (type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(`${name}${s}`);
    if (type === 'summary') for (const s of ['_sum', '_count']) names.add(`${name}${s}`);
  }
  return names;
}

/** The value of a sample of a scrape, e.g. `dossiers_overdue_now{agency="X"`. */
async function sample(url: string, prefix: string, headers: Record<string, string> = {}) {
  const text = await (await fetch(`${url}/metrics`, { headers })).text();
  const line = text.split('\n').find((l) => l.startsWith(prefix));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('the alert rules and the dashboard', () => {
  it('read as Prometheus rules and a Grafana dashboard', () => {
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      expect(rule).toEqual(
        expect.objectContaining({
          alert: expect.stringMatching(/^[A-Z][A-Za-z0-9]+$/),
          expr: expect.any(String),
          labels: expect.objectContaining({ severity: expect.stringMatching(/^(critical|warning|info)$/) }),
          annotations: expect.objectContaining({ summary: expect.any(String) }),
        }),
      );
    }
    expect(new Set(rules.map((r) => r.alert)).size).toBe(rules.length);
    expect(dashboard.uid).toBe('tthc-operations');
    expect(panelExprs.length).toBeGreaterThan(0);
    expect(panelExprs.every((e) => e.trim().length > 0)).toBe(true);
  });

  it('cover what an operator watches', () => {
    const watched = [
      'outbox_oldest_pending_seconds',
      'queue_jobs',
      'notifications_permanently_failed_total',
      'http_request_duration_seconds_count',
      'http_request_duration_seconds_bucket',
      'dossiers_overdue_now',
    ];
    const inRules = new Set(ruleExprs.flatMap(metricNames));
    const inDashboard = new Set(panelExprs.flatMap(metricNames));
    for (const name of watched) {
      expect([name, inRules.has(name)]).toEqual([name, true]);
      expect([name, inDashboard.has(name)]).toEqual([name, true]);
    }
    expect(ruleExprs.some((e) => /status=~"5\.\."/.test(e))).toBe(true);
    expect(panelExprs.some((e) => /histogram_quantile\(0\.99,.*by \([^)]*route/.test(e))).toBe(true);
  });
});

describe('the metrics the processes export', () => {
  let suite: Suite;
  let now = new Date('2026-11-23T02:30:00Z');

  beforeAll(async () => {
    suite = await startSuite(() => now, { demoCatalogue: true });
  }, 120_000);
  afterAll(() => suite.close());

  it('count a dossier past its appointment as overdue now for its agency', async () => {
    const filed = await eventually(
      async () => {
        const res = await fetch(`${suite.url}/v1/dossiers`, {
          method: 'POST',
          headers: { ...suite.adminHeaders, 'content-type': 'application/json' },
          body: JSON.stringify(FILING),
        });
        return res.status === 201 ? ((await res.json()) as { code: string; agencyCode: string }) : undefined;
      },
      { what: 'intake to know the demo procedure', timeoutMs: 30_000 },
    );
    // Months later the dossier still runs: it is overdue now.
    now = new Date('2027-03-01T03:00:00Z');
    expect(await sample(suite.services.intake, `dossiers_overdue_now{agency="${filed.agencyCode}"`)).toBe(1);
  });

  it('include every metric the rules and the dashboard name', async () => {
    const names = new Set<string>();
    for (const url of Object.values(suite.services)) for (const n of await exported(url)) names.add(n);
    for (const n of await exported(suite.url, suite.adminHeaders)) names.add(n);
    const named = new Set([...ruleExprs, ...panelExprs].flatMap(metricNames));
    const missing = [...named].filter((n) => !names.has(n) && !PROMETHEUS_OWN.has(n));
    expect(missing).toEqual([]);
  });

  it('give the backlog and failures of every queue of the suite', async () => {
    for (const queue of allQueues)
      for (const state of ['waiting', 'failed'])
        expect([
          queue,
          state,
          await sample(suite.url, `queue_jobs{queue="${queue}",state="${state}"`, suite.adminHeaders),
        ]).toEqual([queue, state, expect.any(Number)]);
  });
});
