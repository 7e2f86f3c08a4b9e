import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '@tthc/testkit';
import { sql } from 'kysely';
import { backupDatabase, restoreDatabase } from '../../scripts/lib/backup';
import { stockTotals } from '../../services/kpi/test/support/stocks';
import { FILING } from '../support/filings';
import { startSuite, type Suite } from '../support/suite';

/**
 * A populated suite is backed up (scripts/lib/backup.ts, as scripts/backup.ts runs it) and restored
 * into an empty database under a second suite with a Redis prefix of its own: every dossier,
 * trail entry, event, fact, message and audit row is there, the second suite's relays and
 * senders take up only what was not done (no event re-applied, no message sent again), and it
 * goes on filing with the next code.
 */

const now = new Date('2026-11-24T02:00:00Z');
let original: Suite;
let restored: Suite | undefined;
const dir = mkdtempSync(join(tmpdir(), 'tthc-backup-'));

const file = async (base: string, headers: Record<string, string>) => {
  const res = await fetch(`${base}/v1/dossiers`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ ...FILING, applicant: { ...FILING.applicant, email: 'hoa.le@example.vn' } }),
  });
  return { status: res.status, body: (await res.json()) as { code: string } };
};

const COUNTED = [
  'catalogue.procedures',
  'intake.dossiers',
  'intake.dossier_history',
  'intake.outbox',
  'intake.notification_messages',
  'intake.notification_message_log',
  'intake.personal_data_access',
  'kpi.dossier_events',
  'kpi.dossiers',
  'gateway.admin_audit',
] as const;

async function counts(suite: Suite): Promise<Record<string, number>> {
  const db = suite.resources.db;
  const out: Record<string, number> = {};
  for (const t of COUNTED) {
    const r = await sql<{ n: string }>`select count(*) as n from ${sql.raw(t)}`.execute(db);
    out[t] = Number(r.rows[0]!.n);
  }
  return out;
}

/** kpi's stock changes (derived, not in the backup: restoring the facts keeps them again). */
const stocks = (suite: Suite) => stockTotals(suite.resources.db, 'kpi.stock_deltas');

beforeAll(async () => {
  original = await startSuite(() => now, { demoCatalogue: true });
}, 120_000);
afterAll(async () => {
  await restored?.close();
  await original.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('backup and restore', () => {
  it('restores every row into an empty database, and the restored suite resumes without doing anything twice', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 4; i++) {
      const filed = await eventually(
        async () => {
          const r = await file(original.url, original.adminHeaders);
          return r.status === 201 ? r.body : undefined;
        },
        { what: 'intake to know the demo procedure', timeoutMs: 30_000 },
      );
      codes.push(filed.code);
    }
    await fetch(`${original.url}/v1/dossiers/${encodeURIComponent(codes[0]!)}`, {
      headers: original.adminHeaders,
    });
    // Everything settled: events applied in kpi, messages sent.
    const db = original.resources.db;
    await eventually(
      async () => {
        const r = await sql<{ pending: string; unsent: string; facts: string }>`
          select (select count(*) from intake.outbox where sent_at is null) as pending,
                 (select count(*) from intake.notification_messages where status in ('queued', 'failed')) as unsent,
                 (select count(*) from kpi.dossiers) as facts`.execute(db);
        const row = r.rows[0]!;
        return Number(row.pending) === 0 && Number(row.unsent) === 0 && Number(row.facts) === 4
          ? true
          : undefined;
      },
      { what: 'the original suite to settle', timeoutMs: 60_000 },
    );
    const before = await counts(original);
    expect(before['intake.notification_messages']).toBeGreaterThan(0);
    const stocksBefore = await stocks(original);
    expect(stocksBefore.length).toBeGreaterThan(0);

    const manifest = await backupDatabase(original.resources.databaseUrl, dir);
    expect(manifest.tables.find((t) => t.schema === 'intake' && t.table === 'dossiers')?.rows).toBe(4);

    restored = await startSuite(() => now, {
      beforeStart: async (resources) => {
        await restoreDatabase(resources.databaseUrl, dir);
      },
    });
    const after = await counts(restored);
    // The restored suite's own start adds its administrator key to the key log; nothing else differs.
    expect({ ...after, 'gateway.admin_audit': undefined }).toEqual({
      ...before,
      'gateway.admin_audit': undefined,
    });
    expect(after['gateway.admin_audit']).toBe(before['gateway.admin_audit']! + 1);
    expect(manifest.tables.some((t) => t.table === 'stock_deltas')).toBe(false);
    expect(await stocks(restored)).toEqual(stocksBefore);

    // Its workers run a while: nothing is relayed, applied or sent again.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await counts(restored)).toEqual(after);

    // The dossiers read back through the gateway, and filing goes on with the next code.
    const read = await fetch(`${restored.url}/v1/dossiers/${encodeURIComponent(codes[3]!)}`, {
      headers: restored.adminHeaders,
    });
    expect(read.status).toBe(200);
    const next = await file(restored.url, restored.adminHeaders);
    expect(next.status).toBe(201);
    expect(codes).not.toContain(next.body.code);
  }, 240_000);
});
