/**
 * Renders the release from values files, as plain manifests and as a Helm chart:
 *
 *   npm run deploy:render -- --values deploy/values/default.yaml [--values deploy/values/production.yaml] --out build/deploy
 *
 * writes <out>/manifests/00-before-rollout.yaml (ServiceAccount, ConfigMap, Secret, the migration
 * Jobs), <out>/manifests/10-release.yaml (the rest) and <out>/helm/tthc (Chart.yaml, values.yaml,
 * templates/: the same objects, the migration Jobs as pre-install/pre-upgrade hooks), every
 * object validated against the Kubernetes API schemas first (docs/deployment.md).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadValues, render, type Manifest, type Values } from './chart';

/** The object as YAML; the migration Jobs carry their Helm hook in a chart. */
function toYaml(m: Manifest, helm: boolean): string {
  const json = JSON.parse(JSON.stringify(m.object.toJSON())) as {
    kind: string;
    metadata: { annotations?: Record<string, string> };
  };
  if (helm && m.beforeRollout) {
    json.metadata.annotations = {
      ...json.metadata.annotations,
      'helm.sh/hook': 'pre-install,pre-upgrade',
      // the ConfigMap, Secret and account the Jobs use exist before them
      'helm.sh/hook-weight': json.kind === 'Job' ? '0' : '-10',
      'helm.sh/hook-delete-policy': 'before-hook-creation',
    };
  }
  return stringify(json, { lineWidth: 0 });
}

/** Helm reads templates as Go templates: text that looks like an action is escaped. */
export const helmSafe = (yaml: string): string => yaml.replace(/\{\{|\}\}/g, (m) => `{{ "${m}" }}`);

export function validateAll(manifests: Manifest[]): void {
  for (const m of manifests) m.object.validate();
}

export function writeRelease(values: Values, out: string): { manifests: number } {
  const manifests = render(values);
  validateAll(manifests);
  rmSync(out, { recursive: true, force: true });
  const plain = join(out, 'manifests');
  mkdirSync(plain, { recursive: true });
  const doc = (list: Manifest[]) => list.map((m) => toYaml(m, false)).join('---\n');
  writeFileSync(join(plain, '00-before-rollout.yaml'), doc(manifests.filter((m) => m.beforeRollout)));
  writeFileSync(join(plain, '10-release.yaml'), doc(manifests.filter((m) => !m.beforeRollout)));

  const chart = join(out, 'helm', 'tthc');
  mkdirSync(join(chart, 'templates'), { recursive: true });
  writeFileSync(
    join(chart, 'Chart.yaml'),
    stringify({
      apiVersion: 'v2',
      name: 'tthc',
      description: 'TTHC Sở Y tế: gateway, catalogue, intake, kpi and reports (rendered by deploy/chart)',
      type: 'application',
      version: '0.1.0',
      appVersion: values.image.tag,
    }),
  );
  // the values the templates were rendered with, for the record (the templates are already filled in)
  writeFileSync(join(chart, 'values.yaml'), stringify(values));
  for (const m of manifests) {
    const file = `${m.object.kind.toLowerCase()}-${m.object.metadata?.name ?? 'unnamed'}.yaml`;
    writeFileSync(join(chart, 'templates', file), helmSafe(toYaml(m, true)));
  }
  return { manifests: manifests.length };
}

function main(argv: string[]): void {
  const files: string[] = [];
  let out = 'build/deploy';
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--values') files.push(argv[++i]!);
    else if (argv[i] === '--out') out = argv[++i]!;
    else throw new Error(`unknown argument ${argv[i]} (--values FILE ... --out DIR)`);
  }
  if (files.length === 0) files.push('deploy/values/default.yaml');
  const { manifests } = writeRelease(loadValues(files), out);
  console.log(`${manifests} objects, valid, in ${out}/manifests and ${out}/helm/tthc`);
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
