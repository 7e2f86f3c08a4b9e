/**
 * The Kubernetes release (deploy/chart) rendered from the default and the production values: every
 * object is valid against the Kubernetes API schemas (kubernetes-models), and the release has
 * what the deployment needs: a Deployment per service with probes on /ready and /health,
 * resources, an autoscaler and a disruption budget, migrations before the rollout, settings from
 * the ConfigMap and the Secret, and only the gateway reachable from outside.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1';
import { parse, parseAllDocuments } from 'yaml';
import { loadValues, PORTS, render, SERVICES, type Manifest, type Values } from '../../deploy/chart/chart';
import { helmSafe, writeRelease } from '../../deploy/chart/render';
import { variablesByService } from '../../scripts/lib/env-table';
import { configSchema as catalogueConfig } from '../../services/catalogue/src/config';
import { configSchema as gatewayConfig } from '../../services/gateway/src/config';
import { configSchema as intakeConfig } from '../../services/intake/src/config';
import { configSchema as kpiConfig } from '../../services/kpi/src/config';
import { configSchema as reportsConfig } from '../../services/reports/src/config';

const root = join(__dirname, '..', '..');
const DEFAULT = join(root, 'deploy', 'values', 'default.yaml');
const PRODUCTION = join(root, 'deploy', 'values', 'production.yaml');

type Obj = {
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  [k: string]: any;
};
const json = (ms: Manifest[]): Obj[] => ms.map((m) => JSON.parse(JSON.stringify(m.object.toJSON())) as Obj);

const cases: [string, Values][] = [
  ['default', loadValues([DEFAULT])],
  ['production', loadValues([DEFAULT, PRODUCTION])],
  [
    'default with the Secret rendered from values',
    loadValues(
      [DEFAULT],
      [
        {
          secrets: {
            existingSecret: null,
            values: {
              DATABASE_URL: 'postgres://tthc:pw@tthc-postgres:5432/tthc',
              REDIS_URL: 'redis+sentinel://s-0:26379,s-1:26379/tthc-master',
              INTERNAL_AUTH_SECRET: 'x'.repeat(48),
            },
          },
        },
      ],
    ),
  ],
];

describe.each(cases)('the release with %s values', (_label, values) => {
  const manifests = render(values);
  const objects = json(manifests);
  const of = (kind: string) => objects.filter((o) => o.kind === kind);

  it('is valid against the Kubernetes API schemas, object by object', () => {
    const invalid: string[] = [];
    for (const m of manifests) {
      try {
        m.object.validate();
      } catch (err) {
        invalid.push(`${m.object.kind}/${m.object.metadata?.name}: ${(err as Error).message}`);
      }
    }
    expect(invalid).toEqual([]);
    expect(new Set(objects.map((o) => `${o.kind}/${o.metadata.name}`)).size).toBe(objects.length);
  });

  it('runs each service with probes on /ready and /health, resources and non-root', () => {
    expect(of('Deployment').map((d) => d.metadata.name)).toEqual(
      SERVICES.map((s) => `${values.release}-${s}`),
    );
    for (const d of of('Deployment')) {
      const pod = d.spec.template.spec;
      const c = pod.containers[0];
      expect(c.readinessProbe.httpGet.path).toBe('/ready');
      expect(c.livenessProbe.httpGet.path).toBe('/health');
      expect(c.resources.requests.cpu).toBeDefined();
      expect(c.resources.limits.memory).toBeDefined();
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
      expect(c.env).toContainEqual({ name: 'MIGRATE_ON_START', value: 'false' });
    }
  });

  it('scales each service and keeps one running through a disruption', () => {
    for (const s of SERVICES) {
      const hpa = of('HorizontalPodAutoscaler').find((h) => h.metadata.name === `${values.release}-${s}`);
      expect(hpa?.spec.scaleTargetRef).toEqual({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: `${values.release}-${s}`,
      });
      expect(hpa?.spec.maxReplicas).toBe(values.services[s].autoscaling.maxReplicas);
      const pdb = of('PodDisruptionBudget').find((p) => p.metadata.name === `${values.release}-${s}`);
      expect(pdb?.spec.selector.matchLabels['app.kubernetes.io/name']).toBe(s);
    }
  });

  it('migrates each schema in a Job before the services roll', () => {
    const jobs = manifests.filter((m) => m.object.kind === 'Job');
    expect(jobs.map((j) => j.object.metadata?.name)).toEqual(
      SERVICES.map((s) => `${values.release}-migrate-${s}`),
    );
    expect(jobs.every((j) => j.beforeRollout)).toBe(true);
    for (const [i, j] of json(jobs).entries()) {
      const c = j.spec.template.spec.containers[0];
      expect(c.command).toEqual(['/usr/bin/tini', '--', 'node', `services/${SERVICES[i]}/dist/migrate.js`]);
      expect(c.env.map((e: { name: string }) => e.name)).toContain('DATABASE_URL');
    }
  });

  it('gives each service the settings it reads, secrets only from the Secret', () => {
    const reads = variablesByService();
    const config = of('ConfigMap')[0]!;
    for (const s of SERVICES) {
      const env = of('Deployment').find((d) => d.metadata.name === `${values.release}-${s}`)!.spec.template
        .spec.containers[0].env as { name: string; value?: string; valueFrom?: any }[];
      for (const e of env) expect(reads[s]!.map((v) => v.name)).toContain(e.name);
      for (const e of env.filter((x) => x.valueFrom?.configMapKeyRef)) {
        expect(config.data[e.valueFrom.configMapKeyRef.key]).toBeDefined();
      }
      for (const name of ['DATABASE_URL', 'REDIS_URL', 'INTERNAL_AUTH_SECRET']) {
        expect(env.find((e) => e.name === name)?.valueFrom?.secretKeyRef?.key).toBe(name);
      }
    }
    expect(Object.keys(config.data).filter((k) => /SECRET|PASSWORD|TOKEN/.test(k))).toEqual([]);
  });

  it('lets only the gateway be reached from outside the release', () => {
    const policies = of('NetworkPolicy');
    const deny = policies.find((p) => p.metadata.name === `${values.release}-default-deny`)!;
    expect(deny.spec).toMatchObject({ policyTypes: ['Ingress'], ingress: [] });
    const open = policies.filter((p) => p.spec.ingress?.some((rule: { from?: unknown[] }) => !rule.from));
    expect(open.map((p) => p.spec.podSelector.matchLabels['app.kubernetes.io/name'])).toEqual(['gateway']);
    for (const s of SERVICES.filter((x) => x !== 'gateway')) {
      const p = policies.find((x) => x.metadata.name === `${values.release}-${s}-from-gateway`)!;
      expect(p.spec.ingress[0].ports).toEqual([{ port: PORTS[s], protocol: 'TCP' }]);
      expect(p.spec.ingress[0].from[0].podSelector.matchLabels['app.kubernetes.io/name']).toBe('gateway');
    }
    const services = of('Service').filter((x) => x.spec.type !== 'ExternalName');
    expect(services.every((x) => x.spec.type === 'ClusterIP')).toBe(true);
  });

  it('names Postgres as an external service', () => {
    expect(of('Service').find((x) => x.spec.type === 'ExternalName')?.spec.externalName).toBe(
      values.postgres.host,
    );
  });
});

describe('the settings of the values', () => {
  const schemas = {
    gateway: gatewayConfig,
    catalogue: catalogueConfig,
    intake: intakeConfig,
    kpi: kpiConfig,
    reports: reportsConfig,
  } as const;
  /** What the Secret holds in each case (production: the keys its values file lists). */
  const required = {
    DATABASE_URL: 'postgres://tthc:pw@tthc-postgres:5432/tthc?sslmode=require',
    REDIS_URL: 'redis+sentinel://:pw@sentinel-0:26379,sentinel-1:26379,sentinel-2:26379/tthc-master',
    INTERNAL_AUTH_SECRET: 'i'.repeat(48),
  };
  const secrets: Record<string, Record<string, string>> = {
    default: required,
    production: {
      ...required,
      NOTIFY_CALLBACK_TOKEN: 'c'.repeat(40),
      NOTIFY_WEBHOOK_SECRET: 'w'.repeat(40),
      NOTIFY_SMS_GATEWAY_TOKEN: 'sms-token',
      NOTIFY_SMS_BACKUP_USERNAME: 'syt-quangnam',
      NOTIFY_SMS_BACKUP_PASSWORD: 'sms-password',
      NOTIFY_SMTP_USER: 'thongbao',
      NOTIFY_SMTP_PASSWORD: 'smtp-password',
    },
  };

  it.each(cases.slice(0, 2))('are what each service accepts at start-up (%s)', (label, values) => {
    const objects = json(render(values));
    const problems: string[] = [];
    for (const s of SERVICES) {
      const deployment = objects.find(
        (o) => o.kind === 'Deployment' && o.metadata.name === `${values.release}-${s}`,
      )!;
      const env: Record<string, string> = {};
      for (const e of deployment.spec.template.spec.containers[0].env as {
        name: string;
        value?: string;
        valueFrom?: { configMapKeyRef?: { key: string }; secretKeyRef?: { key: string } };
      }[]) {
        if (e.value !== undefined) env[e.name] = e.value;
        else if (e.valueFrom?.configMapKeyRef) env[e.name] = values.config[e.valueFrom.configMapKeyRef.key]!;
        else if (e.valueFrom?.secretKeyRef && secrets[label]![e.name]) env[e.name] = secrets[label]![e.name]!;
      }
      const parsed = schemas[s].safeParse(env);
      if (!parsed.success)
        problems.push(...parsed.error.issues.map((i) => `${s} ${i.path.join('.')}: ${i.message}`));
    }
    expect(problems).toEqual([]);
  });
});

describe('the rendered files', () => {
  const out = mkdtempSync(join(tmpdir(), 'tthc-deploy-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('are plain manifests and a Helm chart whose migration Jobs are pre-install/pre-upgrade hooks', () => {
    const { manifests } = writeRelease(loadValues([DEFAULT, PRODUCTION]), out);
    const plain = ['00-before-rollout.yaml', '10-release.yaml'].flatMap((f) =>
      parseAllDocuments(readFileSync(join(out, 'manifests', f), 'utf8')).map((d) => d.toJS() as Obj),
    );
    expect(plain).toHaveLength(manifests);
    expect(
      plain.filter((o) => o.kind === 'Job').every((o) => !o.metadata.annotations?.['helm.sh/hook']),
    ).toBe(true);

    const templates = readdirSync(join(out, 'helm', 'tthc', 'templates'));
    expect(templates).toHaveLength(manifests);
    const job = parse(
      readFileSync(join(out, 'helm', 'tthc', 'templates', 'job-tthc-migrate-intake.yaml'), 'utf8'),
    ) as Obj;
    expect(job.metadata.annotations?.['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    expect(parse(readFileSync(join(out, 'helm', 'tthc', 'Chart.yaml'), 'utf8'))).toMatchObject({
      apiVersion: 'v2',
      name: 'tthc',
    });
  });

  it('escape what Helm would read as a template action', () => {
    expect(helmSafe('text: "{{phone}}"')).toBe('text: "{{ "{{" }}phone{{ "}}" }}"');
  });
});

describe('the values and the validation', () => {
  it('refuse a setting no service reads, and a secret put in the ConfigMap', () => {
    expect(() => loadValues([DEFAULT], [{ config: { NOTIFY_SMS_PROVIDER: 'x' } }])).toThrow(
      /config\.NOTIFY_SMS_PROVIDER: no service reads it/,
    );
    expect(() => loadValues([DEFAULT], [{ config: { NOTIFY_SMTP_PASSWORD: 'x' } }])).toThrow(
      /config\.NOTIFY_SMTP_PASSWORD: a secret/,
    );
    expect(() => loadValues([DEFAULT], [{ services: { kpi: { autoscaling: { maxReplicas: 0 } } } }])).toThrow(
      /services\.kpi\.autoscaling/,
    );
  });

  it('catch an object the Kubernetes API would refuse', () => {
    const bad = new Deployment({
      metadata: { name: 'x' },
      spec: { replicas: 'two', selector: {}, template: {} },
    } as unknown as ConstructorParameters<typeof Deployment>[0]);
    expect(() => bad.validate()).toThrow(/replicas/);
  });
});
