import closeWithGrace from 'close-with-grace';
import type { Logger } from './logger';
import type { ServiceApp } from './create-service';

export interface RunOptions {
  app: ServiceApp;
  host: string;
  port: number;
  logger: Logger;
  shutdownTimeoutMs: number;
  /**
   * Closed in order after HTTP has drained: workers first (finish the jobs in hand), then
   * relays and queues, then the database and Redis.
   */
  closers: { name: string; close: () => Promise<unknown> }[];
}

/**
 * Listens and installs the ordered shutdown: on SIGTERM/SIGINT mark not ready, stop taking
 * requests and drain them, close the closers in order; a hard timer ends the process when a
 * step hangs.
 */
export async function runService(options: RunOptions): Promise<void> {
  const { app, logger } = options;
  closeWithGrace({ delay: options.shutdownTimeoutMs, logger }, async ({ signal, err }) => {
    if (err) logger.error({ err }, 'fatal error, shutting down');
    else logger.info({ signal }, 'shutting down');
    app.lifecycle.shuttingDown = true;
    await app.close();
    for (const closer of options.closers) {
      try {
        await closer.close();
      } catch (closeErr) {
        logger.error({ err: closeErr, step: closer.name }, 'shutdown step failed');
      }
    }
    logger.info('stopped');
  });
  await app.listen({ host: options.host, port: options.port });
}
