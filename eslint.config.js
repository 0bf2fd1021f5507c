// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const AWS_SDK = {
  group: ['@aws-sdk/*', '@smithy/*'],
  message: 'Only packages/server/src/blobs/ imports the AWS SDK; go through the BlobStore port.',
};
const PROM_CLIENT = {
  group: ['prom-client'],
  message: 'Only packages/server/src/metrics/ imports prom-client; report through the Metrics port.',
};
const WEBHOOK_CLIENT = {
  group: ['**/guarded-post.js'],
  message: 'Only packages/server/src/events/ sends webhooks (DESIGN.md: one library, one owner).',
};

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      'data/**',
      'scripts/**',
      'packages/cli/bin/**',
      'eslint.config.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      eqeqeq: ['error', 'smart'],
    },
  },
  // One library, one owner (DESIGN.md): only the blob store talks to S3, only events/ sends webhooks
  // (through the guarded POST, which lives beside the guarded GET and its address policy), and only
  // metrics/ knows Prometheus. A file matched by several of these blocks takes the last one's patterns, so
  // each block lists all that apply to it.
  {
    files: ['**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [AWS_SDK, WEBHOOK_CLIENT, PROM_CLIENT] }] },
  },
  {
    files: ['packages/server/src/blobs/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [WEBHOOK_CLIENT, PROM_CLIENT] }] },
  },
  {
    files: ['packages/server/src/events/**', 'packages/server/src/inputs/guarded-post*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [AWS_SDK, PROM_CLIENT] }] },
  },
  {
    files: ['packages/server/src/metrics/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [AWS_SDK, WEBHOOK_CLIENT] }] },
  },
  {
    // Tests use node:test's describe/it, which return promises the runner awaits itself.
    files: ['**/*.test.ts', '**/test/**/*.ts', '**/testing/**/*.ts', '**/*.conformance.ts'],
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] },
          ],
        },
      ],
    },
  },
);
