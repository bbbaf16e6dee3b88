import type { NextConfig } from 'next';

const securityHeaders = [
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'same-origin' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
];

// `npm run bench` builds into its own directory with one extra route, the unguarded twin of
// GET /api/session (app/api/session-unguarded/route.bench.ts). No other build ever contains it.
const benchBuild = process.env.SIGNET_BENCH_BUILD === '1';

const nextConfig: NextConfig = {
  ...(benchBuild ? { distDir: '.next-bench', pageExtensions: ['tsx', 'ts', 'bench.ts'] } : {}),
  poweredByHeader: false,
  reactStrictMode: true,
  serverExternalPackages: ['better-sqlite3'],
  async headers() {
    return [{ source: '/:path*', headers: securityHeaders }];
  },
};

export default nextConfig;
