import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // The CLI picks its language from the locale: tests that read its English output must not depend on the machine's.
    env: { LC_ALL: 'C.UTF-8', LC_MESSAGES: '', LANG: 'C.UTF-8' },
    projects: [
      {
        extends: true,
        // Unit tests touch no namespace and time nothing: their files run side by side, and all of them before the first integration file.
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          // Integration tests build real namespaces and time real connections:
          // one file at a time keeps a 2-core machine from turning load into verdicts.
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          // The Go binaries, built once before the first integration file (a no-op when they are current).
          globalSetup: ['tests/global-setup.ts'],
        },
      },
    ],
  },
});
