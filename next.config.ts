import type { NextConfig } from 'next';
import { FIXED_SECURITY_HEADERS } from './lib/web/security-headers';

// `npm run bench` builds into its own directory with one extra route, the unguarded twin of
// GET /api/session (app/api/session-unguarded/route.bench.ts). No other build ever contains it.
const benchBuild = process.env.SIGNET_BENCH_BUILD === '1';

const nextConfig: NextConfig = {
  ...(benchBuild ? { distDir: '.next-bench', pageExtensions: ['tsx', 'ts', 'bench.ts'] } : {}),
  poweredByHeader: false,
  reactStrictMode: true,
  serverExternalPackages: ['better-sqlite3'],
  async headers() {
    // The same on every path, static files included; proxy.ts adds the per-request CSP and HSTS.
    return [{ source: '/:path*', headers: [...FIXED_SECURITY_HEADERS] }];
  },
};

export default nextConfig;
