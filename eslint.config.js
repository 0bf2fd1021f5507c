// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Boundary rules (docs/architecture.md "Boundary rules"), as no-restricted-imports zones.
//
// ESLint gives a file matched by several config blocks only the last block's no-restricted-imports, so a
// block per rule would silently drop the earlier rules. Instead: RULES says what is forbidden, where, and
// who is exempt; ZONES names every directory (or file) a rule mentions; and zoneBlocks() gives each zone one
// block listing every pattern that applies to it, most general zone first, so the last block a file
// matches is its most specific zone and carries all of its rules. A rule marked `tests: false` does not
// bind tests and test support (TESTS): such a zone gets a second block, right after its first, that leaves
// out TESTS and adds those rules, so a file's last block is still its most specific zone, in the right kind.

const SERVER = 'packages/server/src';

/** The rooms of the server, as directories of packages/server/src. */
const ROOMS = [
  'blobs',
  'contract',
  'e2e',
  'engines',
  'events',
  'files',
  'generations',
  'health',
  'http',
  'inputs',
  'jobs',
  'media',
  'metrics',
  'policy',
  'store',
  'testing',
  'webhooks',
];
/** Tests and test support: every support module lives in a folder named testing/ (never packed). */
const TESTS = ['**/*.test.ts', '**/testing/**'];
/** The modules at the top of packages/server/src that rooms may share or must not reach. */
const TOP = ['config', 'index', 'log', 'logger', 'main', 'process-guards', 'unavailable'];

/**
 * A relative import that lands in one of `rooms` of the server, from any depth below packages/server/src.
 * (It reads the path, not the file system: no room has a subdirectory named like another room it may not use.)
 */
const roomImport = (rooms, message) => ({
  regex: `^(\\.\\./)+(${rooms.join('|')})/`,
  message,
});
/** Every room but `own` (and `allowed`), plus the top modules: "depends on no other room". */
const otherRooms = (own, allowed, message) => [
  roomImport(
    ROOMS.filter((r) => r !== own && !allowed.includes(r)),
    message,
  ),
  { regex: `^(\\.\\./)+(${TOP.filter((t) => !allowed.includes(t)).join('|')})\\.js$`, message },
];

/** Where each zone is. A key names its place: 'server/inputs/guarded-post' lies inside 'server/inputs'. */
const ZONES = {
  '': ['**/*.ts', '**/*.tsx'],
  sdk: ['packages/sdk/**'],
  web: ['packages/web/**'],
  server: ['packages/server/**'],
  bench: ['packages/bench/**'],
  ...Object.fromEntries(ROOMS.map((r) => [`server/${r}`, [`${SERVER}/${r}/**`]])),
  'server/main': [`${SERVER}/main.ts`],
  'server/contract/tests': [`${SERVER}/contract/**/*.test.ts`],
  'server/inputs/guarded-post': [`${SERVER}/inputs/guarded-post*.ts`],
  'server/blobs/disk-routes-test': [`${SERVER}/blobs/disk.blob-store.test.ts`],
  'server/engines/failure-wire-test': [`${SERVER}/engines/failure-wire.test.ts`],
};

/**
 * Each rule: `patterns` are forbidden in the zones `in` (default: everywhere) and everything inside them,
 * except in the zones `except` and everything inside those; `tests: false` spares TESTS wherever it applies.
 */
const RULES = [
  // One library, one owner.
  {
    patterns: [
      {
        group: ['@aws-sdk/*', '@smithy/*'],
        message: 'Only packages/server/src/blobs/ imports the AWS SDK; go through the BlobStore port.',
      },
    ],
    except: ['server/blobs'],
  },
  {
    patterns: [
      {
        group: ['prom-client'],
        message: 'Only packages/server/src/metrics/ imports prom-client; report through the Metrics port.',
      },
    ],
    except: ['server/metrics'],
  },
  {
    patterns: [
      {
        group: ['**/guarded-post.js'],
        message: 'Only packages/server/src/events/ sends webhooks (docs/architecture.md "Boundary rules").',
      },
    ],
    except: ['server/events', 'server/inputs/guarded-post'],
  },
  {
    patterns: [
      {
        group: ['fastify', '@fastify/*'],
        message: 'Only packages/server/src/http/ imports fastify; keep HTTP in the http room.',
      },
    ],
    except: ['server/http', 'bench', 'server/blobs/disk-routes-test'],
  },
  {
    patterns: [
      {
        group: ['better-sqlite3', 'pg', 'pg-boss'],
        message: 'Only packages/server/src/store/ imports a database driver; go through the Store port.',
      },
    ],
    except: ['server/store'],
  },
  {
    patterns: [
      {
        group: ['sharp'],
        message: 'Only packages/server/src/media/ imports sharp; add what you need to media/.',
      },
    ],
    except: ['server/media'],
  },
  // Test support stays out of what ships: only tests (and the benchmarks, which run a test bucket) use it.
  {
    patterns: [
      {
        regex: '(^|/)testing/',
        message: 'Only tests import a testing/ folder: test support is not shipped.',
      },
    ],
    tests: false,
    except: ['bench'],
  },
  // The server's modules past its public entry are for the benchmarks alone.
  {
    patterns: [
      {
        regex: '^@umbra/server/internal(/|$)',
        message: 'Only packages/bench imports @umbra/server/internal/*; everything else uses @umbra/server.',
      },
    ],
    except: ['bench'],
  },
  // Dependencies point inward: nothing but the composition root reaches into http/.
  {
    patterns: [
      roomImport(
        ['http'],
        'Only main.ts imports http/: dependencies point inward, http → generations → contract.',
      ),
    ],
    in: ['server'],
    except: ['server/http', 'server/main', 'server/blobs/disk-routes-test'],
  },
  // contract/ is pure: no other room, no I/O.
  {
    patterns: otherRooms('contract', [], 'contract/ is pure and imports no other room of the server.'),
    in: ['server/contract'],
  },
  {
    patterns: [
      {
        group: [
          'node:fs',
          'node:fs/*',
          'node:child_process',
          'node:net',
          'node:http',
          'node:https',
          'node:dns',
          'fs',
          'fs/*',
          'child_process',
        ],
        message: 'contract/ is pure: no I/O.',
      },
    ],
    in: ['server/contract'],
    except: ['server/contract/tests'],
  },
  // store/ knows SQL and the contract's vocabulary, nothing else (its tests use testing/).
  {
    patterns: otherRooms(
      'store',
      ['contract', 'testing', 'unavailable'],
      'store/ depends only on contract/.',
    ),
    in: ['server/store'],
  },
  // media/ is what engines reuse; it reaches into no other room.
  {
    patterns: otherRooms(
      'media',
      ['unavailable'],
      'media/ depends on no other room of the server (engines least of all).',
    ),
    in: ['server/media'],
  },
  // Engines get inputs and return files: no store, queue, blobs, routes or use cases.
  {
    patterns: [
      roomImport(
        [
          'http',
          'store',
          'blobs',
          'generations',
          'files',
          'events',
          'webhooks',
          'policy',
          'metrics',
          'health',
        ],
        'Engines never touch the store, blobs, HTTP or the use cases; the pipeline does.',
      ),
    ],
    in: ['server/engines'],
  },
  {
    patterns: [roomImport(['jobs'], 'Engines never touch the queue; the pipeline (jobs/) calls them.')],
    in: ['server/engines'],
    except: ['server/engines/failure-wire-test'],
  },
  // The client packages never import the server.
  {
    patterns: [
      { regex: '^@umbra/(server|cli|web)(/|$)', message: 'The sdk imports no other package of Umbra.' },
      { regex: '^(\\.\\./)+(server|cli|web)/', message: 'The sdk imports no other package of Umbra.' },
    ],
    in: ['sdk'],
  },
  {
    patterns: [
      {
        regex: '^@umbra/(server|cli)(/|$)',
        message: 'The console talks to the server only through @umbra/sdk.',
      },
      {
        regex: '^(\\.\\./)+(server|cli)/',
        message: 'The console talks to the server only through @umbra/sdk.',
      },
    ],
    in: ['web'],
  },
];

const within = (zone, key) => key === '' || zone === key || zone.startsWith(`${key}/`);

/**
 * One block per zone, general before specific, each with every pattern that applies there; where a rule
 * spares TESTS, a second block for the zone's other files, with those rules too.
 */
function zoneBlocks() {
  for (const rule of RULES)
    for (const key of [...(rule.in ?? []), ...(rule.except ?? [])])
      if (!(key in ZONES)) throw new Error(`eslint.config.js: unknown zone '${key}'`);
  const depth = (key) => (key === '' ? 0 : key.split('/').length);
  const keys = Object.keys(ZONES).sort((a, b) => depth(a) - depth(b));
  const applies = (zone) =>
    RULES.filter(
      (r) => (r.in ?? ['']).some((k) => within(zone, k)) && !(r.except ?? []).some((k) => within(zone, k)),
    );
  const block = (files, rules, ignores = []) => ({
    files,
    ...(ignores.length ? { ignores } : {}),
    rules: { 'no-restricted-imports': ['error', { patterns: rules.flatMap((r) => r.patterns) }] },
  });
  return keys.flatMap((zone) => {
    const rules = applies(zone);
    const everyFile = rules.filter((r) => r.tests !== false);
    return everyFile.length === rules.length
      ? [block(ZONES[zone], rules)]
      : [block(ZONES[zone], everyFile), block(ZONES[zone], rules, TESTS)];
  });
}

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
  ...zoneBlocks(),
  {
    // Tests use node:test's describe/it, which return promises the runner awaits itself.
    files: TESTS,
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
