import { dropDatabase, dropDatabasesLike, TEST_ENV } from '@tthc/testkit';

export default async function globalTeardown(): Promise<void> {
  const adminUrl = process.env[TEST_ENV.adminUrl];
  const runId = process.env[TEST_ENV.runId];
  if (adminUrl && runId) {
    await dropDatabasesLike(adminUrl, `tthc_t_${runId}_`);
    await dropDatabase(adminUrl, `tthc_tpl_${runId}`);
  }
  const stop = (globalThis as Record<string, unknown>)['__tthcStopInfra'] as
    (() => Promise<void>) | undefined;
  await stop?.();
}
