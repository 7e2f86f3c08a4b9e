/**
 * The suite on Kubernetes: every object of a release, from values files (deploy/values/*.yaml),
 * built with kubernetes-models (typed from the Kubernetes API's OpenAPI schemas; `validate()`
 * checks each object against them). `render.ts` writes them as plain manifests and as a Helm chart;
 * tests/quality/deploy-manifests.test.ts renders the default and production values and validates
 * every object.
 *
 * Each service gets the settings it reads (its config schema, the one list, through
 * scripts/lib/env-table): secrets from the release's Secret, the rest from its ConfigMap.
 */
import { readFileSync } from 'node:fs';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import type { IEnvVar } from 'kubernetes-models/v1';
import { parse } from 'yaml';
import { z } from 'zod';
import { variablesByService } from '../../scripts/lib/env-table';

export const SERVICES = ['gateway', 'catalogue', 'intake', 'kpi', 'reports'] as const;
export type ServiceName = (typeof SERVICES)[number];
export const PORTS: Record<ServiceName, number> = {
  gateway: 8080,
  catalogue: 3001,
  intake: 3002,
  kpi: 3003,
  reports: 3004,
};

/** Settings the chart sets itself, per pod; values cannot override them. */
const SET_BY_CHART = new Set([
  'HOST',
  'PORT',
  'MIGRATE_ON_START',
  'CATALOGUE_URL',
  'INTAKE_URL',
  'KPI_URL',
  'REPORTS_URL',
]);
/** Settings that are secrets: kept in the Secret, never in the ConfigMap. */
export const isSecret = (name: string): boolean =>
  /SECRET|PASSWORD|TOKEN|USERNAME|API_KEY/.test(name) || name === 'DATABASE_URL' || name === 'REDIS_URL';

const quantity = z.union([z.string().regex(/^\d+(\.\d+)?(m|Mi|Gi|Ki)?$/), z.number().positive()]);
const resources = z.object({
  requests: z.object({ cpu: quantity, memory: quantity }),
  limits: z.object({ cpu: quantity, memory: quantity }),
});
const serviceValues = z.object({
  replicas: z.number().int().min(1),
  autoscaling: z
    .object({
      minReplicas: z.number().int().min(1),
      maxReplicas: z.number().int().min(1),
      cpuPercent: z.number().int().min(10).max(100),
    })
    .refine((a) => a.maxReplicas >= a.minReplicas, 'maxReplicas must be at least minReplicas'),
  resources,
});
const cidr = z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, 'an IPv4 CIDR');
const dnsName = z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'a DNS name');

export const valuesSchema = z.object({
  release: dnsName,
  namespace: dnsName,
  image: z.object({
    repository: z.string().min(1),
    tag: z.string().regex(/^[\w][\w.-]{0,127}$/),
    pullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']),
    pullSecrets: z.array(dnsName),
  }),
  config: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)),
  secrets: z
    .object({
      existingSecret: dnsName.optional(),
      values: z.record(z.string(), z.string()).default({}),
    })
    .refine(
      (s) => Boolean(s.existingSecret) || Object.keys(s.values).length > 0,
      'name secrets.existingSecret or give secrets.values',
    ),
  postgres: z.object({ host: dnsName, port: z.number().int(), cidr }),
  redis: z.object({ ports: z.array(z.number().int()).min(1), cidr }),
  ingress: z.object({
    enabled: z.boolean(),
    className: z.string(),
    host: dnsName,
    tlsSecret: z.string(),
  }),
  monitoringNamespaces: z.array(dnsName),
  services: z.object(
    Object.fromEntries(SERVICES.map((s) => [s, serviceValues])) as Record<ServiceName, typeof serviceValues>,
  ),
});
export type Values = z.infer<typeof valuesSchema>;

/** Later files override earlier ones, key by key (lists are replaced whole, null removes). */
export function mergeValues(...layers: unknown[]): unknown {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  return layers.reduce((acc: unknown, layer) => {
    if (!isObject(acc) || !isObject(layer)) return layer === undefined ? acc : layer;
    const out: Record<string, unknown> = { ...acc };
    for (const [k, v] of Object.entries(layer)) {
      if (v === null)
        delete out[k]; // null removes a key of an earlier layer
      else out[k] = mergeValues(acc[k], v);
    }
    return out;
  }, {});
}

/** The values of these files, merged in order and checked (a bad value names its path). */
export function loadValues(files: string[], overrides: unknown[] = []): Values {
  const merged = mergeValues(...files.map((f) => parse(readFileSync(f, 'utf8')) as unknown), ...overrides);
  const result = valuesSchema.safeParse(merged);
  if (!result.success) {
    throw new Error(
      `bad values:\n${result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  }
  const known = new Set(Object.values(variablesByService()).flatMap((vs) => vs.map((v) => v.name)));
  const problems: string[] = [];
  for (const name of Object.keys(result.data.config)) {
    if (!known.has(name)) problems.push(`config.${name}: no service reads it`);
    else if (SET_BY_CHART.has(name)) problems.push(`config.${name}: set by the chart`);
    else if (isSecret(name)) problems.push(`config.${name}: a secret; put it in the Secret`);
  }
  for (const name of Object.keys(result.data.secrets.values)) {
    if (!known.has(name)) problems.push(`secrets.values.${name}: no service reads it`);
  }
  if (problems.length) throw new Error(`bad values:\n  ${problems.join('\n  ')}`);
  return result.data;
}

/** An object of the release with the Helm hook that must run it before the services roll, if any. */
export interface Manifest {
  object: { kind: string; metadata?: { name?: string }; validate(): void; toJSON(): unknown };
  /** Helm hook annotations are added by the chart writer; plain manifests apply these first. */
  beforeRollout: boolean;
}

export function render(values: Values): Manifest[] {
  const { release, namespace } = values;
  const name = (s: string) => `${release}-${s}`;
  const partOf = { 'app.kubernetes.io/part-of': 'tthc', 'app.kubernetes.io/instance': release };
  const labels = (component: string) => ({
    ...partOf,
    'app.kubernetes.io/name': component,
    'app.kubernetes.io/version': values.image.tag,
    'app.kubernetes.io/managed-by': 'tthc-deploy',
  });
  const selector = (component: string) => ({ ...partOf, 'app.kubernetes.io/name': component });
  const meta = (n: string, component: string) => ({ name: n, namespace, labels: labels(component) });
  const image = (s: ServiceName) => `${values.image.repository}/${s}:${values.image.tag}`;
  const configName = name('config');
  const secretName = values.secrets.existingSecret ?? name('secrets');
  const readsByService = variablesByService();

  /** The settings a service reads: set by the chart, else from the Secret or the ConfigMap. */
  const envOf = (s: ServiceName, only?: Set<string>): IEnvVar[] => {
    const env: IEnvVar[] = [];
    for (const v of readsByService[s]!) {
      if (only && !only.has(v.name)) continue;
      if (SET_BY_CHART.has(v.name)) continue;
      if (isSecret(v.name)) {
        env.push({
          name: v.name,
          valueFrom: {
            secretKeyRef: { name: secretName, key: v.name, ...(v.required ? {} : { optional: true }) },
          },
        });
      } else if (v.name in values.config) {
        env.push({ name: v.name, valueFrom: { configMapKeyRef: { name: configName, key: v.name } } });
      }
    }
    return env;
  };
  const podSecurity = {
    runAsNonRoot: true,
    runAsUser: 1000, // `node` of the official image
    runAsGroup: 1000,
    fsGroup: 1000,
    seccompProfile: { type: 'RuntimeDefault' as const },
  };
  const containerSecurity = {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
  };
  const pullSecrets = values.image.pullSecrets.map((n) => ({ name: n }));

  const out: Manifest[] = [];
  const add = (object: Manifest['object'], beforeRollout = false) => out.push({ object, beforeRollout });

  add(
    new ServiceAccount({
      metadata: meta(name('service'), 'service-account'),
      automountServiceAccountToken: false,
    }),
    true,
  );
  add(new ConfigMap({ metadata: meta(configName, 'config'), data: values.config }), true);
  if (!values.secrets.existingSecret) {
    add(
      new Secret({
        metadata: meta(secretName, 'secrets'),
        type: 'Opaque',
        stringData: values.secrets.values,
      }),
      true,
    );
  }
  add(
    new Service({
      metadata: meta(name('postgres'), 'postgres'),
      spec: { type: 'ExternalName', externalName: values.postgres.host },
    }),
    true,
  );

  for (const s of SERVICES) {
    const v = values.services[s];
    const port = PORTS[s];
    // Migrations, once per rollout, before the new version's pods start (Helm pre-install/upgrade hook).
    add(
      new Job({
        metadata: meta(name(`migrate-${s}`), `migrate-${s}`),
        spec: {
          backoffLimit: 3,
          activeDeadlineSeconds: 900,
          ttlSecondsAfterFinished: 3600,
          template: {
            metadata: { labels: labels(`migrate-${s}`) },
            spec: {
              restartPolicy: 'Never',
              serviceAccountName: name('service'),
              automountServiceAccountToken: false,
              securityContext: podSecurity,
              imagePullSecrets: pullSecrets,
              containers: [
                {
                  name: 'migrate',
                  image: image(s),
                  imagePullPolicy: values.image.pullPolicy,
                  command: ['/usr/bin/tini', '--', 'node', `services/${s}/dist/migrate.js`],
                  env: envOf(s, new Set(['DATABASE_URL', 'LOG_LEVEL'])),
                  securityContext: containerSecurity,
                  resources: {
                    requests: { cpu: '50m', memory: '128Mi' },
                    limits: { cpu: '500m', memory: '256Mi' },
                  },
                },
              ],
            },
          },
        },
      }),
      true,
    );

    const probe = (path: string, periodSeconds: number, failureThreshold: number) => ({
      httpGet: { path, port: 'http' },
      periodSeconds,
      timeoutSeconds: 3,
      failureThreshold,
    });
    const env: IEnvVar[] = [
      { name: 'HOST', value: '0.0.0.0' },
      { name: 'PORT', value: String(port) },
      { name: 'MIGRATE_ON_START', value: 'false' },
      ...(s === 'gateway'
        ? SERVICES.filter((o) => o !== 'gateway').map((o) => ({
            name: `${o.toUpperCase()}_URL`,
            value: `http://${name(o)}:${PORTS[o]}`,
          }))
        : []),
      ...envOf(s),
    ];
    add(
      new Deployment({
        metadata: meta(name(s), s),
        spec: {
          replicas: v.replicas,
          revisionHistoryLimit: 5,
          selector: { matchLabels: selector(s) },
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
          template: {
            metadata: {
              labels: labels(s),
              annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(port) },
            },
            spec: {
              serviceAccountName: name('service'),
              automountServiceAccountToken: false,
              securityContext: podSecurity,
              imagePullSecrets: pullSecrets,
              // the graceful shutdown (drain HTTP, workers, then Postgres and Redis) has 10 s
              terminationGracePeriodSeconds: 30,
              topologySpreadConstraints: [
                {
                  maxSkew: 1,
                  topologyKey: 'kubernetes.io/hostname',
                  whenUnsatisfiable: 'ScheduleAnyway',
                  labelSelector: { matchLabels: selector(s) },
                },
              ],
              containers: [
                {
                  name: s,
                  image: image(s),
                  imagePullPolicy: values.image.pullPolicy,
                  ports: [{ name: 'http', containerPort: port, protocol: 'TCP' }],
                  env,
                  readinessProbe: probe('/ready', 5, 3),
                  livenessProbe: probe('/health', 10, 6),
                  startupProbe: probe('/health', 5, 24),
                  resources: v.resources,
                  securityContext: containerSecurity,
                  volumeMounts: [
                    { name: 'tmp', mountPath: '/tmp' },
                    // intake's log provider writes .data/notifications.jsonl
                    ...(s === 'intake' ? [{ name: 'data', mountPath: '/app/.data' }] : []),
                  ],
                },
              ],
              volumes: [
                { name: 'tmp', emptyDir: { sizeLimit: '256Mi' } },
                ...(s === 'intake' ? [{ name: 'data', emptyDir: { sizeLimit: '1Gi' } }] : []),
              ],
            },
          },
        },
      }),
    );
    add(
      new Service({
        metadata: meta(name(s), s),
        spec: {
          type: 'ClusterIP',
          selector: selector(s),
          ports: [{ name: 'http', port, targetPort: 'http', protocol: 'TCP' }],
        },
      }),
    );
    add(
      new HorizontalPodAutoscaler({
        metadata: meta(name(s), s),
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: name(s) },
          minReplicas: v.autoscaling.minReplicas,
          maxReplicas: v.autoscaling.maxReplicas,
          metrics: [
            {
              type: 'Resource',
              resource: {
                name: 'cpu',
                target: { type: 'Utilization', averageUtilization: v.autoscaling.cpuPercent },
              },
            },
          ],
        },
      }),
    );
    add(
      new PodDisruptionBudget({
        metadata: meta(name(s), s),
        spec:
          v.autoscaling.minReplicas > 1
            ? { minAvailable: 1, selector: { matchLabels: selector(s) } }
            : { maxUnavailable: 1, selector: { matchLabels: selector(s) } },
      }),
    );
  }

  // Network: nothing reaches a pod of the release unless a policy below lets it.
  const monitoring = values.monitoringNamespaces.map((ns) => ({
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } },
  }));
  add(
    new NetworkPolicy({
      metadata: meta(name('default-deny'), 'network'),
      spec: { podSelector: { matchLabels: partOf }, policyTypes: ['Ingress'], ingress: [] },
    }),
  );
  add(
    new NetworkPolicy({
      metadata: meta(name('gateway-from-anywhere'), 'network'),
      spec: {
        podSelector: { matchLabels: selector('gateway') },
        policyTypes: ['Ingress'],
        ingress: [{ ports: [{ port: PORTS.gateway, protocol: 'TCP' }] }],
      },
    }),
  );
  for (const s of SERVICES.filter((o) => o !== 'gateway')) {
    add(
      new NetworkPolicy({
        metadata: meta(name(`${s}-from-gateway`), 'network'),
        spec: {
          podSelector: { matchLabels: selector(s) },
          policyTypes: ['Ingress'],
          ingress: [
            {
              from: [{ podSelector: { matchLabels: selector('gateway') } }, ...monitoring],
              ports: [{ port: PORTS[s], protocol: 'TCP' }],
            },
          ],
        },
      }),
    );
  }
  // Out: the DNS, Postgres and Redis (Sentinel) of the values, the release's own services, and
  // HTTPS / SMTP for the identity provider's keys and the notification providers.
  add(
    new NetworkPolicy({
      metadata: meta(name('egress'), 'network'),
      spec: {
        podSelector: { matchLabels: partOf },
        policyTypes: ['Egress'],
        egress: [
          {
            to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
            ports: [
              { port: 53, protocol: 'UDP' },
              { port: 53, protocol: 'TCP' },
            ],
          },
          {
            to: [{ ipBlock: { cidr: values.postgres.cidr } }],
            ports: [{ port: values.postgres.port, protocol: 'TCP' }],
          },
          {
            to: [{ ipBlock: { cidr: values.redis.cidr } }],
            ports: values.redis.ports.map((port) => ({ port, protocol: 'TCP' })),
          },
          { to: [{ podSelector: { matchLabels: partOf } }] },
          {
            to: [{ ipBlock: { cidr: '0.0.0.0/0' } }],
            ports: [443, 465, 587].map((port) => ({ port, protocol: 'TCP' })),
          },
        ],
      },
    }),
  );
  if (values.ingress.enabled) {
    add(
      new Ingress({
        metadata: meta(name('gateway'), 'gateway'),
        spec: {
          ingressClassName: values.ingress.className,
          ...(values.ingress.tlsSecret
            ? { tls: [{ hosts: [values.ingress.host], secretName: values.ingress.tlsSecret }] }
            : {}),
          rules: [
            {
              host: values.ingress.host,
              http: {
                paths: [
                  {
                    path: '/',
                    pathType: 'Prefix',
                    backend: { service: { name: name('gateway'), port: { name: 'http' } } },
                  },
                ],
              },
            },
          ],
        },
      }),
    );
  }
  return out;
}
