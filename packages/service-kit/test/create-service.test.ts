import { Writable } from 'node:stream';
import { z } from 'zod';
import type { Role } from '@tthc/contracts';
import {
  createLogger,
  createService,
  HttpProblem,
  routeAccess,
  seesPersonalData,
  signIdentity,
  type ServiceApp,
} from '../src';

const SECRET = 'unit-test-secret-unit-test-secret-0001';
const silent = createLogger('test', 'silent');

async function build(overrides: { ready?: () => Promise<unknown> } = {}): Promise<ServiceApp> {
  const app = await createService({
    name: 'test',
    logger: silent,
    internalAuthSecret: SECRET,
    readiness: { postgres: async () => undefined, redis: overrides.ready ?? (async () => undefined) },
  });
  app.post(
    '/v1/things',
    {
      schema: {
        body: z.object({
          name: z.string().min(1),
          applicant: z.object({ phone: z.string().regex(/^0\d{9}$/) }),
        }),
        response: { 201: z.object({ name: z.string() }) },
      },
    },
    async (req, reply) => reply.status(201).send({ name: req.body.name }),
  );
  app.get('/v1/boom', async () => {
    throw new Error('database password is hunter2');
  });
  app.get('/v1/conflict', async () => {
    throw new HttpProblem(409, 'invalid_transition', 'Xung đột trạng thái', 'dossier is resolved');
  });
  return app;
}

const auth = async () => ({
  'x-tthc-identity': await signIdentity(SECRET, {
    sub: 'u1',
    kind: 'officer',
    roles: ['admin'],
    agencyCode: null,
  }),
});

describe('createService', () => {
  let app: ServiceApp;
  beforeAll(async () => {
    app = await build();
  });
  afterAll(() => app.close());

  it('answers a malformed body with 400 problem+json naming each field by JSON pointer', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/things',
      headers: await auth(),
      payload: { name: '', applicant: { phone: 'x' } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json();
    expect(body).toMatchObject({ status: 400, code: 'validation_failed', instance: '/v1/things' });
    expect(body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual([
      '/applicant/phone',
      '/name',
    ]);
    expect(body.errors[0].in).toBe('body');
    expect(body.requestId).toBe(res.headers['x-request-id']);
  });

  it('answers invalid JSON with 400 problem+json, not 500', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/things',
      headers: { ...(await auth()), 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
  });

  it('answers an unknown route with 404 problem+json', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/nothing-here', headers: await auth() });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'route_not_found', status: 404 });
  });

  it('refuses a request without the gateway identity assertion', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/things', payload: { name: 'a' } });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('missing_identity');
  });

  it('refuses an assertion signed with another secret', async () => {
    const forged = await signIdentity('another-secret-another-secret-000000', {
      sub: 'x',
      kind: 'system',
      roles: ['admin'],
      agencyCode: null,
    });
    const res = await app.inject({
      method: 'GET',
      url: '/v1/conflict',
      headers: { 'x-tthc-identity': forged },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('invalid_identity');
  });

  it('turns a thrown HttpProblem into its status and code', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/conflict', headers: await auth() });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      code: 'invalid_transition',
      detail: 'dossier is resolved',
      type: '/problems/invalid-transition',
    });
  });

  it('hides the message of an unexpected error behind a 500 problem', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/boom', headers: await auth() });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('hunter2');
    expect(res.json().code).toBe('internal_error');
  });

  it('propagates an incoming x-request-id and makes one up otherwise', async () => {
    const given = await app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'req-123' } });
    expect(given.headers['x-request-id']).toBe('req-123');
    const made = await app.inject({ method: 'GET', url: '/health' });
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves health, readiness and metrics without an assertion', async () => {
    expect((await app.inject({ method: 'GET', url: '/health' })).json()).toEqual({
      status: 'ok',
      service: 'test',
    });
    const ready = await app.inject({ method: 'GET', url: '/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().checks).toEqual({ postgres: 'up', redis: 'up' });
    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toContain('http_request_duration_seconds');
  });

  it('publishes the routes in its OpenAPI document', async () => {
    const spec = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/v1/things']));
    expect(spec.paths['/health']).toBeUndefined();
  });
});

describe('readiness', () => {
  it('answers 503 naming the dependency that is down', async () => {
    const app = await build({ ready: async () => Promise.reject(new Error('ECONNREFUSED')) });
    const res = await app.inject({ method: 'GET', url: '/ready' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ detail: 'redis is down', checks: { postgres: 'up', redis: 'down' } });
    await app.close();
  });

  it('answers 503 as soon as shutdown begins', async () => {
    const app = await build();
    app.lifecycle.shuttingDown = true;
    const res = await app.inject({ method: 'GET', url: '/ready' });
    expect(res.statusCode).toBe(503);
    expect(res.json().detail).toContain('shutting down');
    await app.close();
  });
});

describe('outbox backlog', () => {
  it('shows the backlog on /ready and as metrics', async () => {
    const app = await createService({
      name: 'test',
      logger: silent,
      internalAuthSecret: SECRET,
      outboxBacklog: async () => ({ pending: 3, oldestAgeSeconds: 42.5 }),
    });
    const ready = await app.inject({ method: 'GET', url: '/ready' });
    expect(ready.json().outbox).toEqual({ pending: 3, oldestAgeSeconds: 42.5 });
    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/outbox_pending_events\{service="test"\} 3/);
    expect(metrics).toMatch(/outbox_oldest_pending_seconds\{service="test"\} 42.5/);
    await app.close();
  });
});

describe('logger', () => {
  it('never writes personal data', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const logger = createLogger('test', 'info', sink);
    logger.info(
      {
        phone: '0912345678',
        dossier: { email: 'an@example.vn', idNumber: '001085012345' },
        applicant: { fullName: 'Nguyễn Văn An', address: '12 Lê Lợi, Huế' },
        req: { headers: { authorization: 'Bearer abc.def' } },
      },
      'received',
    );
    const out = lines.join('');
    for (const secret of ['0912345678', 'an@example.vn', '001085012345', 'Lê Lợi', 'abc.def']) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('received');
  });
});

describe('the access a route declares (x-access)', () => {
  let app: ServiceApp;
  beforeAll(async () => {
    app = await createService({ name: 'test', logger: silent, internalAuthSecret: SECRET });
    app.get(
      '/v1/records',
      {
        schema: {
          'x-access': { roles: ['leader'], agencyScoped: true, personalData: ['leader'] },
          querystring: z.object({ agencyCode: z.string().optional() }),
        },
      },
      async (request) => ({ seen: seesPersonalData(routeAccess(request), request.identity) }),
    );
    app.post(
      '/v1/records',
      {
        schema: {
          'x-access': { roles: ['leader'], agencyScoped: true, agencyInBody: true },
          body: z.object({ agencyCode: z.string() }),
        },
      },
      async () => ({ ok: true }),
    );
    app.post(
      '/v1/hand-overs',
      {
        schema: {
          'x-access': { roles: ['leader'], agencyScoped: true },
          body: z.object({ agencyCode: z.string() }),
        },
      },
      async () => ({ ok: true }),
    );
    app.get('/v1/public', { schema: { 'x-access': { roles: 'public', agencyScoped: false } } }, async () => ({
      ok: true,
    }));
    app.get('/v1/undeclared', async () => ({ ok: true }));
  });
  afterAll(() => app.close());

  const as = async (roles: Role[], agencyScope: string[] | null = null) => ({
    'x-tthc-identity': await signIdentity(SECRET, {
      sub: 'u1',
      kind: 'officer',
      roles,
      agencyCode: agencyScope?.[0] ?? null,
      agencyScope,
    }),
  });

  it('lets the roles it names and administrators through, and refuses the others with 403', async () => {
    const call = async (roles: Role[], url = '/v1/records') =>
      (await app.inject({ method: 'GET', url, headers: await as(roles) })).statusCode;
    expect(await call(['leader'])).toBe(200);
    expect(await call(['admin'])).toBe(200);
    expect(await call(['reporter'])).toBe(403);
    expect(await call([], '/v1/public')).toBe(200);
    // A route that declares nothing is for administrators only.
    expect(await call(['leader'], '/v1/undeclared')).toBe(403);
    expect(await call(['admin'], '/v1/undeclared')).toBe(200);
  });

  it('refuses an agencyCode outside the scope of an agency-scoped route, naming the field', async () => {
    const headers = await as(['leader'], ['000.00.17.H55']);
    const outside = await app.inject({ method: 'GET', url: '/v1/records?agencyCode=000.00.90.H55', headers });
    expect(outside.statusCode).toBe(403);
    expect(outside.headers['content-type']).toContain('application/problem+json');
    expect(outside.json().errors).toEqual([expect.objectContaining({ in: 'query', pointer: '/agencyCode' })]);
    expect(
      (await app.inject({ method: 'GET', url: '/v1/records?agencyCode=000.00.17.H55', headers })).statusCode,
    ).toBe(200);
    const body = { agencyCode: '000.00.90.H55' };
    expect(
      (await app.inject({ method: 'POST', url: '/v1/records', headers, payload: body })).statusCode,
    ).toBe(403);
    // A body's agency is the record's only where the route says so (a hand-over names another).
    expect(
      (await app.inject({ method: 'POST', url: '/v1/hand-overs', headers, payload: body })).statusCode,
    ).toBe(200);
  });

  it('shows personal data to the roles the route names for it', async () => {
    const seen = async (roles: Role[]) =>
      (await app.inject({ method: 'GET', url: '/v1/records', headers: await as(roles) })).json().seen;
    expect(await seen(['leader'])).toBe(true);
    expect(await seen(['admin'])).toBe(true);
  });

  it('writes the declaration into the document: security, x-roles, x-agency-scoped, x-personal-data', async () => {
    await app.ready();
    const doc = app.swagger() as unknown as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    expect(doc.paths['/v1/records']!['get']).toMatchObject({
      security: [{ ApiKey: [] }, { Bearer: [] }],
      'x-roles': ['leader', 'admin'],
      'x-agency-scoped': true,
      'x-personal-data': ['leader', 'admin'],
    });
    expect(doc.paths['/v1/records']!['get']).not.toHaveProperty('x-access');
    expect(doc.paths['/v1/public']!['get']).toMatchObject({ security: [], 'x-roles': ['public'] });
  });
});
