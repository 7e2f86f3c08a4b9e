import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { maskDestination } from '../domain/mask';
import type { NotificationProvider, OutgoingMessage, SendResult } from './provider';

/**
 * Development stand-in for every channel: one JSON line per message in a file, the text in full
 * and the destination masked (the file is still a log).
 */
export class LogProvider implements NotificationProvider {
  readonly name = 'log';
  readonly ratePerSecond = null;
  private ready: Promise<unknown> | undefined;

  constructor(private readonly file: string) {}

  async send(m: OutgoingMessage): Promise<SendResult> {
    this.ready ??= mkdir(dirname(this.file), { recursive: true });
    await this.ready;
    const line = {
      at: new Date().toISOString(),
      id: m.id,
      channel: m.channel,
      audience: m.audience,
      event: m.event,
      dossierCode: m.dossierCode,
      to: maskDestination(m.destination),
      subject: m.subject,
      text: m.body,
    };
    await appendFile(this.file, `${JSON.stringify(line)}\n`, 'utf8');
    return { providerMessageId: `log-${m.id}` };
  }
}
