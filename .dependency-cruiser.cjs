/**
 * The architecture's boundaries, checked on every test run (npm test -> npm run boundaries):
 * services never import one another, packages never import services, SQL (kysely values, pg)
 * lives only in a service's db/ folders (its own and its wings') and in the packages made for
 * it, and a wing (a feature folder with its own index.ts) is reached only through that index.
 */

/** The wings of each service: feature folders with inner layers, reached through their index.ts. */
const WINGS = {
  intake: ['feedback', 'calendar', 'historical-import', 'slips', 'notifications', 'agencies'],
};
/** Files that compose a service (and so may import any wing's index, notifications included). */
const COMPOSITION = '(app|deps|main|config)\\.ts$|workers/index\\.ts$|db/migrations/';

const wingRules = Object.entries(WINGS).flatMap(([service, wings]) => {
  const src = `^services/${service}/src/`;
  const any = `${src}(${wings.join('|')})/`;
  return [
    {
      name: `${service}-wing-through-index`,
      comment:
        'A wing is reached from outside only through its index.ts; inside, its files use one another freely.',
      severity: 'error',
      from: { path: `${src}([^/]+)/` },
      to: { path: any, pathNot: [`${any}index\\.ts$`, `${src}$1/`] },
    },
    {
      name: `${service}-wing-through-index-from-composition`,
      comment: 'The composition files too reach a wing through its index.ts.',
      severity: 'error',
      from: { path: `${src}[^/]+$` },
      to: { path: any, pathNot: `${any}index\\.ts$` },
    },
    {
      name: `${service}-notifications-from-composition-only`,
      comment: 'Notifications listen to events; only the composition files wire them in.',
      severity: 'error',
      from: { path: src, pathNot: [`${src}(${COMPOSITION})`, `${src}notifications/`] },
      to: { path: `${src}notifications/`, dependencyTypesNot: ['type-only'] },
    },
  ];
});

module.exports = {
  forbidden: [
    ...wingRules,
    {
      name: 'no-service-to-service',
      comment: 'A service talks to another only over HTTP (through the gateway) or Redis messages.',
      severity: 'error',
      from: { path: '^services/([^/]+)/' },
      to: { path: '^services/', pathNot: '^services/$1/' },
    },
    {
      name: 'no-package-to-service',
      comment: 'Packages are the shared ground; they never depend on a service.',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^services/' },
    },
    {
      name: 'sql-only-in-db',
      comment: 'Queries live in each service db/ folder (repositories); other layers get types only.',
      severity: 'error',
      from: {
        path: '^services/[^/]+/src/',
        pathNot: ['^services/[^/]+/src/db/', '^services/[^/]+/src/[^/]+/db/'],
      },
      to: { path: 'node_modules/(kysely|pg)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|test)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
