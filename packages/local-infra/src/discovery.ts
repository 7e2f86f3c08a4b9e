// The one order in which `npm start` and the test harness look for Postgres and Redis.
import type { Log } from './processes';

/** Where a server came from, in the order they are tried. */
export type Source = 'environment' | 'local' | 'testcontainers' | 'embedded';

export interface Found {
  url: string;
  /** Stops what was started (or adopted) for this run; a no-op for a server that was found. */
  stop: () => Promise<void>;
  /** True when this process started or adopted the server (it is stopped with the run). */
  embedded: boolean;
  source: Source;
}

/** A way to get a server: null when it does not apply here (nothing answers, no runtime). */
export type Finder = () => Promise<Omit<Found, 'source'> | null>;

export interface DiscoveryPlan {
  /** What is being looked for, for the error message ("Postgres", "Redis"). */
  what: string;
  /** An explicit URL (DATABASE_URL / REDIS_URL for `npm start`, TEST_* for the tests). */
  explicitUrl?: string | undefined;
  /** A server answering on the standard local port. */
  local?: Finder | undefined;
  /** Testcontainers (tests only); tried before `local` when `preferContainers` is set. */
  containers?: Finder | undefined;
  preferContainers?: boolean | undefined;
  /** Last resort: a server this process starts (embedded Postgres, redis-server from PATH). */
  embedded?: Finder | undefined;
  log?: Log | undefined;
}

export const noop = async (): Promise<void> => {};

/** A probe URL of "off" (or none, false, 0) skips the local server. */
export const isOff = (value: string | undefined): boolean => /^(off|none|false|0)$/i.test(value ?? '');

/**
 * explicit URL → local server on the standard port → Testcontainers (when given and its runtime
 * answers) → a server started here. The first that answers wins; when none does, the last
 * finder's error (a one-line "how to get one") is thrown.
 */
export async function discover(plan: DiscoveryPlan): Promise<Found> {
  if (plan.explicitUrl) return { url: plan.explicitUrl, stop: noop, embedded: false, source: 'environment' };
  const steps: [Source, Finder | undefined][] = plan.preferContainers
    ? [
        ['testcontainers', plan.containers],
        ['local', plan.local],
      ]
    : [
        ['local', plan.local],
        ['testcontainers', plan.containers],
      ];
  steps.push(['embedded', plan.embedded]);
  for (const [source, find] of steps) {
    if (!find) continue;
    const found = await find();
    if (found) return { ...found, source };
  }
  throw new Error(`no ${plan.what} found and none could be started`);
}
