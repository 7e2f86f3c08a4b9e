import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { maskDestination } from '../domain/mask';
import { ProviderError, type NotificationProvider, type OutgoingMessage, type SendResult } from './provider';

/**
 * Development stand-in for every channel: one JSON line per message in a file, the text in full
 * and the destination masked (the file is still a log). Alone on a channel (development, nothing
 * configured) it counts as delivering. After real providers in a failover list it only records:
 * a message every real gateway refused was not delivered to the citizen, so it stays failed (and
 * is alerted when its attempts are spent) instead of being counted as sent by a file.
 */
export class LogProvider implements NotificationProvider {
  readonly name = 'log';
  readonly ratePerSecond = null;
  private ready: Promise<unknown> | undefined;

  constructor(
    private readonly file: string,
    private readonly delivers = true,
  ) {}

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
    if (!this.delivers)
      throw new ProviderError('recorded in the log file only; no real provider delivered it');
    return { providerMessageId: `log-${m.id}` };
  }
}
