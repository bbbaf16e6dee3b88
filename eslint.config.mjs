import { defineConfig, globalIgnores } from 'eslint/config';
import nextVitals from 'eslint-config-next/core-web-vitals';
import drizzle from 'eslint-plugin-drizzle';
import playwright from 'eslint-plugin-playwright';
import tseslint from 'typescript-eslint';

/**
 * `npm run lint` (Next 16 has no `next lint`; this is the ESLint CLI):
 *   every file   — Next's core-web-vitals set (React, hooks, a11y, import, @next/next)
 *   TypeScript   — typescript-eslint's recommended-type-checked, types from tsconfig.json;
 *                  every Drizzle update and delete carries a where
 *   e2e/         — Playwright's recommended set
 * Each rule turned off or tuned below says why on its line.
 */
export default defineConfig([
  globalIgnores(['.next/**', '.next-bench/**', 'data/**', 'test-results/**', 'playwright-report/**', 'next-env.d.ts']),

  ...nextVitals,

  {
    files: ['**/*.{ts,tsx,mts}'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Async methods here implement async interfaces (Store, Mailer, Next's headers()) over
      // synchronous work, and `async` is what turns a synchronous throw into a rejection.
      '@typescript-eslint/require-await': 'off',
      // Destructuring into a rest object is how this code drops fields (`{ expires: _clock, ...rest }`).
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
      // A signal handler may read a variable before its one assignment (dev-pg.ts's `next` child).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    files: ['**/*.test.ts'],
    rules: {
      // Vitest types its asymmetric matchers (expect.any, expect.objectContaining) as `any`.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },

  {
    files: ['**/*.{ts,tsx,mts}'],
    plugins: { drizzle },
    rules: {
      // Every Drizzle handle in this code is called `db` (a bare `db`, or `tx.db` inside a
      // transaction); naming it keeps Map#delete and Headers#delete out of the rule.
      'drizzle/enforce-delete-with-where': ['error', { drizzleObjectName: ['db'] }],
      'drizzle/enforce-update-with-where': ['error', { drizzleObjectName: ['db'] }],
    },
  },

  {
    files: ['e2e/**/*.ts'],
    extends: [playwright.configs['flat/recommended']],
    rules: {
      // The security specs sweep tables of cases (routes, cookies, actions) and expect per case.
      'playwright/no-conditional-in-test': 'off',
      'playwright/no-conditional-expect': 'off',
      // Helpers named expect… (expectWords, expectNoLeak, expectRefusal) assert.
      'playwright/expect-expect': ['error', { assertFunctionPatterns: ['^expect[A-Z]'] }],
      // A skip on a condition is a switch (screenshots only when asked), not a forgotten test.
      'playwright/no-skipped-test': ['error', { allowConditional: true }],
      // Describe titles built from a loop variable (with / without JavaScript) are strings too.
      'playwright/valid-title': ['error', { ignoreTypeOfDescribeName: true }],
    },
  },
]);
