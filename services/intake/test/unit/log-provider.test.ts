import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NotificationConfig } from '../../src/notifications';
import { ProviderError, type OutgoingMessage } from '../../src/notifications/providers/provider';
import { buildProviders, closeProviders } from '../../src/notifications/providers/provider-registry';

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'tthc-log-provider-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const message = (id: string): OutgoingMessage => ({
  id,
  channel: 'sms',
  audience: 'citizen',
  event: 'received',
  dossierCode: '000.20.17.H55-261123-0001',
  destination: '0905123456',
  recipientRef: null,
  subject: null,
  body: 'Hồ sơ tiếp nhận 23/11/2026, hẹn trả 14/12/2026.',
  createdAt: new Date(),
});

function providers(list: string, file: string) {
  return buildProviders(
    NotificationConfig.parse({
      NOTIFY_SMS_PROVIDERS: list,
      NOTIFY_SMS_GATEWAY_URL: 'http://127.0.0.1:9/sms',
      NOTIFY_LOG_FILE: join(dir, file),
    }),
  );
}

describe('the log provider', () => {
  it('delivers when it is the only provider of the channel (development)', async () => {
    const p = providers('log', 'alone.jsonl');
    await expect(p.sms[0]!.send(message('m-1'))).resolves.toEqual({ providerMessageId: 'log-m-1' });
    await closeProviders(p);
  });

  it('after a real gateway only records: the message is not counted as sent, and the line is kept', async () => {
    const p = providers('sms_gateway,log', 'failover.jsonl');
    const log = p.sms.at(-1)!;
    expect(log.name).toBe('log');
    await expect(log.send(message('m-2'))).rejects.toBeInstanceOf(ProviderError);
    const line = JSON.parse(readFileSync(join(dir, 'failover.jsonl'), 'utf8').trim()) as Record<
      string,
      string
    >;
    expect(line).toMatchObject({ id: 'm-2', to: '09******56' });
    await closeProviders(p);
  });
});
