/**
 * The compose file, the Dockerfile and .env.example, checked without a Docker daemon: the compose
 * file against the Compose Specification's JSON schema (the one dclint ships) and dclint's rules,
 * the Dockerfile by dockerfile-utils' linter and for what an image of the suite must have, and the
 * settings: every variable a service reads is passed by compose and listed in .env.example.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Ajv from 'ajv';
import type { DCLinter as Linter } from 'dclint' with { 'resolution-mode': 'import' };
import { DockerfileParser } from 'dockerfile-ast';
import { validate as lintDockerfile } from 'dockerfile-utils';
import { parse } from 'yaml';
import { variablesByService } from '../../scripts/lib/env-table';

// dclint is an ES module with a CommonJS build; the tests are CommonJS
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DCLinter } = require('dclint') as { DCLinter: typeof Linter };

const root = join(__dirname, '..', '..');
const composeFile = join(root, 'docker-compose.yml');
const composeText = readFileSync(composeFile, 'utf8');
/** As compose reads it: YAML merge keys (<<) applied. */
const compose = parse(composeText, { merge: true }) as {
  services: Record<
    string,
    { environment?: Record<string, unknown>; build?: { args?: Record<string, string> } }
  >;
  [k: string]: unknown;
};
const reads = variablesByService();
const SERVICES = Object.keys(reads);
/** Set in the compose file itself (addresses inside the compose network, the listening interface). */
const SET_BY_COMPOSE = [
  'HOST',
  'PORT',
  'DATABASE_URL',
  'REDIS_URL',
  'CATALOGUE_URL',
  'INTAKE_URL',
  'KPI_URL',
  'REPORTS_URL',
];

/** Names of .env.example, commented out (a default shown) or not. */
const envExample = [
  ...readFileSync(join(root, '.env.example'), 'utf8').matchAll(/^#? ?([A-Z][A-Z0-9_]*)=/gm),
].map((m) => m[1]!);

describe('docker-compose.yml', () => {
  it('is valid against the Compose Specification schema', () => {
    const schemaFile = join(
      dirname(require.resolve('dclint/package.json')),
      'schemas',
      'compose.schema.json',
    );
    // a draft-07 schema, Ajv's default draft (its $schema spells the draft's URL without the '#')
    const { $schema: _draft, ...schema } = JSON.parse(readFileSync(schemaFile, 'utf8')) as Record<
      string,
      unknown
    >;
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    const valid = ajv.compile(schema);
    expect(valid(compose) ? [] : valid.errors).toEqual([]);
    // and the schema does refuse a broken file
    expect(valid({ ...compose, services: { gateway: { ...compose.services.gateway, restart: 7 } } })).toBe(
      false,
    );
  });

  it("passes dclint's rules", () => {
    const linter = new DCLinter({
      rules: {
        // the services are listed in start order (stores, then the four services, the gateway last)
        'services-alphabetical-order': 0,
        // keys follow the file's own order (anchor first, then image, build, environment)
        'service-keys-order': 0,
        // images are built here and tagged by TAG
        'service-image-require-explicit-tag': 0,
        // `image` names the tag the build produces (pushed to the registry, pulled by Kubernetes)
        'no-build-and-image': 0,
        // the interface is given, as ${GATEWAY_BIND} (dclint reads it before interpolation): checked below
        'no-unbound-port-interfaces': 0,
      },
      quiet: false,
      debug: false,
      exclude: [],
    });
    const [result] = linter.lintFiles([composeFile], false);
    expect(
      result!.messages.filter((m: { type: string }) => m.type === 'error' || m.type === 'warning'),
    ).toEqual([]);
  });

  it.each(SERVICES)('passes %s every setting it reads', (service) => {
    const env = compose.services[service]?.environment ?? {};
    const missing = reads[service]!.map((v) => v.name).filter((name) => !(name in env));
    expect(missing).toEqual([]);
    // and sets, itself, only the addresses and the interface
    const fixed = Object.entries(env)
      .filter(([, value]) => value !== null)
      .map(([name]) => name)
      .filter((name) => !SET_BY_COMPOSE.includes(name));
    expect(fixed).toEqual(['INTERNAL_AUTH_SECRET']);
  });

  it('builds each service from the Dockerfile with its name and port', () => {
    for (const service of SERVICES) {
      expect(compose.services[service]?.build?.args?.SERVICE).toBe(service);
      expect(compose.services[service]?.environment?.PORT).toBe(compose.services[service]?.build?.args?.PORT);
    }
  });

  it('takes every ${VARIABLE} it interpolates from .env.example', () => {
    const interpolated = [...new Set([...composeText.matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]!))];
    expect(interpolated.filter((name) => !envExample.includes(name))).toEqual([]);
  });

  it('publishes the gateway alone', () => {
    const published = Object.entries(compose.services)
      .filter(([, s]) => (s as { ports?: unknown[] }).ports?.length)
      .map(([name]) => name);
    expect(published).toEqual(['gateway']);
    expect((compose.services.gateway as { ports: string[] }).ports).toEqual([
      '${GATEWAY_BIND:-0.0.0.0}:${GATEWAY_PORT:-8080}:8080',
    ]);
  });
});

describe('.env.example', () => {
  const readByAny = new Set(Object.values(reads).flatMap((vs) => vs.map((v) => v.name)));

  it('lists every setting the services read (but those compose sets itself)', () => {
    const missing = [...readByAny].filter(
      (name) => !SET_BY_COMPOSE.includes(name) && !envExample.includes(name),
    );
    expect(missing).toEqual([]);
  });

  it('lists nothing else than those and the compose file’s own variables', () => {
    const composeOwn = [...composeText.matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]!);
    expect(envExample.filter((name) => !readByAny.has(name) && !composeOwn.includes(name))).toEqual([]);
    expect(envExample.length).toBe(new Set(envExample).size);
  });

  it('leaves every secret empty or commented out', () => {
    const set = [...readFileSync(join(root, '.env.example'), 'utf8').matchAll(/^([A-Z][A-Z0-9_]*)=(.+)$/gm)];
    expect(set.map((m) => m[1])).toEqual([]);
  });
});

describe('Dockerfile', () => {
  const text = readFileSync(join(root, 'Dockerfile'), 'utf8');
  const instructions = DockerfileParser.parse(text).getInstructions();
  const stages = DockerfileParser.parse(text).getFROMs();
  const last = (keyword: string) =>
    instructions
      .filter((i) => i.getKeyword() === keyword)
      .at(-1)
      ?.getArgumentsContent();

  it("passes dockerfile-utils' linter", () => {
    expect(lintDockerfile(text).map((d) => `${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
  });

  it('builds in stages from `turbo prune --docker`, on Node 24', () => {
    expect(stages.map((f) => f.getBuildStage())).toEqual(['prune', 'build', 'runtime']);
    expect(text).toMatch(/^ARG NODE_IMAGE=node:24-/m);
    expect(text).toMatch(/turbo@\$\{TURBO_VERSION\}" prune "@tthc\/\$\{SERVICE\}" --docker/);
  });

  it('runs as the unprivileged user under tini, with a health check on /health', () => {
    expect(last('USER')).toBe('node');
    expect(last('ENTRYPOINT')).toBe('["/usr/bin/tini", "--"]');
    expect(last('HEALTHCHECK')).toMatch(/\/health/);
    expect(last('VOLUME')).toBe('["/app/.data"]');
  });
});
