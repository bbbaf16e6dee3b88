/**
 * npm run db:migrate — creates the database file if needed and applies every migration in
 * drizzle/. Production servers refuse to start without the file, so this is the operator's
 * explicit "create it" step.
 */
import { openDatabase } from '../lib/db';

const file = process.env.DATABASE_PATH ?? 'data/signet.db';
const { sqlite } = openDatabase(file, { mustExist: false });
const applied = sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number };
sqlite.close();
console.log(`${file}: migrated (${applied.n} migration${applied.n === 1 ? '' : 's'} applied)`);
