/** Applies the gateway schema's migrations and exits (run before a rollout; see docs/deployment.md). */
import { runMigrateOnly } from '@tthc/service-kit';
import { migrations, SCHEMA } from './db/migrations';

runMigrateOnly({ name: 'gateway', schema: SCHEMA, migrations });
