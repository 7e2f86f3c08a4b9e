import { z } from 'zod';
import { createLogger, createService, fileAnswer, fileUpload, signIdentity, type ServiceApp } from '../src';

const SECRET = 'unit-test-secret-unit-test-secret-0002';

const Thing = z
  .object({ code: z.string(), version: z.number().int().min(1).max(1000), size: z.number().int() })
  .meta({ id: 'DocThing', 'x-etag': true, examples: [{ code: 'T-1', version: 1, size: 3 }] });
const NewThing = z
  .object({ name: z.string(), kind: z.enum(['a', 'b']).default('a') })
  .meta({ id: 'DocNewThing', examples: [{ name: 'một' }] });

async function build(): Promise<ServiceApp> {
  const app = await createService({
    name: 'doc-test',
    logger: createLogger('test', 'silent'),
    internalAuthSecret: SECRET,
  });
  app.post(
    '/v1/things',
    {
      schema: {
        operationId: 'createThing',
        'x-location': '/v1/things/{code}',
        body: NewThing,
        response: { 201: Thing },
      },
    },
    async (_req, reply) => reply.status(201).send({ code: 'T-1', version: 1, size: 3 }),
  );
  app.get(
    '/v1/things/:code/file',
    {
      schema: {
        operationId: 'thingFile',
        params: z.object({ code: z.string() }),
        response: {
          200: fileAnswer('The thing as a file', ['application/pdf', 'text/csv'], {
            examples: { 'text/csv': 'a,b' },
          }),
        },
      },
    },
    async (_req, reply) => reply.type('application/pdf').send(Buffer.from('%PDF-1.3')),
  );
  app.post(
    '/v1/things/import',
    {
      schema: {
        operationId: 'importThings',
        'x-request-body': fileUpload('The things', ['text/csv', 'application/octet-stream']),
        response: { 200: z.object({ imported: z.number().int() }) },
      },
    },
    async () => ({ imported: 0 }),
  );
  return app;
}

describe('the OpenAPI document of a service', () => {
  let app: ServiceApp;
  let doc: any;
  beforeAll(async () => {
    app = await build();
    await app.ready();
    doc = app.swagger();
  });
  afterAll(() => app.close());

  it('names each schema once: a request schema by its plain name, no unused twin', () => {
    const names = Object.keys(doc.components.schemas);
    expect(names).toEqual(expect.arrayContaining(['DocThing', 'DocNewThing']));
    expect(names.filter((n) => n.endsWith('Input'))).toEqual([]);
    expect(doc.paths['/v1/things'].post.requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/DocNewThing',
    });
    // the request variant keeps the examples zod gave the answer variant
    expect(doc.components.schemas.DocNewThing.examples).toEqual([{ name: 'một' }]);
  });

  it('gives integers a format by their bounds', () => {
    const props = doc.components.schemas.DocThing.properties;
    expect(props.version.format).toBe('int32');
    expect(props.size.format).toBe('int64');
  });

  it('declares ETag on answers of a versioned resource, Location on a 201, X-Request-Id everywhere', () => {
    const created = doc.paths['/v1/things'].post.responses['201'];
    expect(Object.keys(created.headers)).toEqual(
      expect.arrayContaining(['ETag', 'Location', 'X-Request-Id']),
    );
    expect(created.headers.Location.schema.example).toBe('/v1/things/000.20.17.H55-260302-0001');
    expect(doc.components.schemas.DocThing['x-etag']).toBeUndefined();
  });

  it('declares file answers and uploads with their media types', () => {
    const file = doc.paths['/v1/things/{code}/file'].get.responses['200'];
    expect(file.content['application/pdf'].schema).toEqual({ type: 'string', format: 'binary' });
    expect(file.content['text/csv']).toEqual({ schema: { type: 'string' }, example: 'a,b' });
    expect(file.headers['Content-Disposition']).toBeDefined();
    const upload = doc.paths['/v1/things/import'].post.requestBody;
    expect(upload.required).toBe(true);
    expect(Object.keys(upload.content)).toEqual(['text/csv', 'application/octet-stream']);
  });

  it('sends the declared Location, filled from the answer', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/things',
      payload: { name: 'một' },
      headers: {
        'x-tthc-identity': await signIdentity(SECRET, {
          sub: 'u1',
          kind: 'officer',
          roles: ['admin'],
          agencyCode: null,
        }),
      },
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers['location']).toBe('/v1/things/T-1');
  });
});
