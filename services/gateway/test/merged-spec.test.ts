import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually } from '@tthc/testkit';
import pino from 'pino';
import { MergedSpec } from '../src/openapi/merged-spec';

/**
 * Issue 12: a request to a service whose operations the gateway knows does not wait for the
 * document of another service that does not answer; only the documents never read are tried
 * again each second.
 */

const doc = (path: string) => ({
  openapi: '3.1.0',
  info: { title: 'service', version: '1' },
  paths: { [path]: { get: { operationId: `get${path}`, 'x-roles': ['public'], responses: {} } } },
});

interface Upstream {
  url: string;
  fetches: number;
  /** From now on, hold every request for the document (unanswered). */
  hold: () => void;
  /** Answers the requests held so far, and every one after. */
  release: () => void;
  close: () => Promise<void>;
}

const servers: Upstream[] = [];

type Mode = 'answer' | 'fail' | 'hold';

async function upstream(path: string, mode: Mode): Promise<Upstream> {
  const held: http.ServerResponse[] = [];
  const state = { fetches: 0, mode };
  const answer = (res: http.ServerResponse) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(doc(path)));
  };
  const server = http.createServer((_req, res) => {
    state.fetches += 1;
    if (state.mode === 'hold') held.push(res);
    else if (state.mode === 'fail') res.writeHead(503).end();
    else answer(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const u: Upstream = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get fetches() {
      return state.fetches;
    },
    hold: () => {
      state.mode = 'hold';
    },
    release: () => {
      state.mode = 'answer';
      for (const res of held.splice(0)) answer(res);
    },
    close: async () => {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  servers.push(u);
  return u;
}

afterAll(async () => {
  for (const s of servers) await s.close();
});

describe('the merged document', () => {
  it('serves a known service without waiting for one that does not answer, and retries only the missing', async () => {
    const catalogue = await upstream('/v1/procedures', 'answer');
    const intake = await upstream('/v1/dossiers', 'fail');
    const kpi = await upstream('/v1/kpi', 'answer');
    const reports = await upstream('/v1/reports', 'answer');
    const spec = new MergedSpec(
      { catalogue: catalogue.url, intake: intake.url, kpi: kpi.url, reports: reports.url },
      pino({ level: 'silent' }),
    );

    // The first read waits for every document (the intake's fails); then the intake hangs.
    await spec.get('catalogue');
    intake.hold();
    expect(spec.knows('catalogue')).toBe(true);
    expect(spec.knows('intake')).toBe(false);
    expect(spec.accessTable().lookup('GET', '/v1/procedures')).toBeDefined();

    // For a second and a half, catalogue reads answer at once, while the intake's stays held.
    const until = Date.now() + 1_500;
    while (Date.now() < until) {
      const started = Date.now();
      await spec.get('catalogue');
      expect(Date.now() - started).toBeLessThan(500);
      await new Promise((r) => setTimeout(r, 20));
    }
    // A read of the whole document (or of the intake's paths) waits for it.
    let whole = false;
    void spec.get('intake').then(() => {
      whole = true;
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(whole).toBe(false);
    // The catalogue's document was read once, not again each second.
    expect(catalogue.fetches).toBe(1);

    // Once the intake answers, its operations join the table and the waiting read goes on.
    intake.release();
    await eventually(async () => (whole ? true : undefined), {
      timeoutMs: 2_000,
      what: 'the intake document',
    });
    expect(spec.knows('intake')).toBe(true);
    expect(spec.accessTable().lookup('GET', '/v1/dossiers')).toBeDefined();
    expect(spec.accessTable().lookup('GET', '/v1/procedures')).toBeDefined();
  });
});
