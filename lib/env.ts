import { z } from 'zod';

const seconds = (fallback: number, max: number) => z.coerce.number().int().min(1).max(max).default(fallback);
const DAY = 86_400;

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_PATH: z.string().min(1).default('data/signet.db'),
  // Set to a postgres:// URL to run on PostgreSQL; unset, Signet uses the SQLite file above.
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' })
    .optional(),
  PG_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  PG_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(3000),
  PG_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
  SIGNET_KEYS: z.string().min(1).optional(),
  SIGNET_ORIGIN: z.url({ protocol: /^https?$/ }).optional(),
  SMTP_URL: z.string().min(1).optional(),
  MAIL_FROM: z.string().min(3).default('Signet <no-reply@signet.localhost>'),
  ACCESS_TTL_SECONDS: seconds(15 * 60, DAY),
  REFRESH_TTL_SECONDS: seconds(30 * DAY, 400 * DAY),
  BROWSER_SESSION_TTL_SECONDS: seconds(12 * 3600, 30 * DAY),
  REFRESH_GRACE_SECONDS: seconds(10, 120),
  LAST_SEEN_INTERVAL_SECONDS: seconds(5 * 60, DAY),
  // How long an emailed org invitation can be accepted.
  INVITATION_TTL_SECONDS: seconds(7 * DAY, 30 * DAY),
  // The global send budget (C6): codes to any addresses at once, and how many a minute refill it.
  // Each address also has its own caps (5 codes and 10 wrong codes per 15 minutes, lib/rules/index.ts).
  CODE_SEND_BURST: z.coerce.number().int().min(1).max(1_000_000).default(30),
  CODE_SENDS_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(10),
  // Housekeeping: ended sessions, and security events, are deleted this many days after they end.
  SESSION_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
});

export type Env = z.infer<typeof envSchema> & { isProduction: boolean };

let cached: Env | undefined;

/** Validated configuration. Throws a readable message naming each bad variable. */
export function getEnv(): Env {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid configuration:\n${lines.join('\n')}`);
  }
  const env = { ...parsed.data, isProduction: parsed.data.NODE_ENV === 'production' };
  if (env.isProduction) {
    const missing = (['SIGNET_KEYS', 'SIGNET_ORIGIN', 'SMTP_URL'] as const).filter((k) => !env[k]);
    if (missing.length > 0) {
      throw new Error(`production requires ${missing.join(', ')} (see README, "Configuration")`);
    }
  }
  cached = env;
  return env;
}

/** Forget the cached configuration (tests change process.env between cases). */
export function resetEnvForTests(): void {
  cached = undefined;
}
