import { Agent } from 'node:http';
import { startSuite, type Suite } from '../support/suite';
import { send } from './support/send';

/**
 * Portals and desk software hold keep-alive connections to the gateway. A body the gateway or
 * a service refuses must not leave such a connection unable to carry the next request.
 *
 * A file of its own: while the gateway leaves the connection wedged, the suite's shutdown waits
 * about 70 s for it (a server-side timeout), which must not slow the bad-input run.
 */

const OVERSIZED = JSON.stringify({ code: 'OVERSIZED', name: 'a'.repeat(3 * 1024 * 1024) });

let suite: Suite;

beforeAll(async () => {
  suite = await startSuite(() => new Date('2026-03-10T02:00:00Z'));
}, 60_000);
afterAll(() => suite?.close(), 120_000);

describe('a keep-alive connection to the gateway', () => {
  it('answers 413 to an oversized body, then answers the next requests on the same connection', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const answers: string[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        const headers = { ...suite.adminHeaders, 'content-type': 'application/json' };
        const refused = await send(
          suite.url,
          { method: 'POST', target: '/v1/fields', headers, body: OVERSIZED },
          10_000,
          agent,
        );
        answers.push(`oversized: ${refused.error ?? refused.status}`);
        for (let j = 0; j < 2; j++) {
          const next = await send(
            suite.url,
            { method: 'GET', target: '/v1/fields', headers: suite.adminHeaders },
            3_000,
            agent,
          );
          answers.push(`next: ${next.error ?? next.status}`);
        }
      }
    } finally {
      agent.destroy();
    }
    expect(answers).toEqual(
      Array.from({ length: 3 }, () => ['oversized: 413', 'next: 200', 'next: 200']).flat(),
    );
  });
});
