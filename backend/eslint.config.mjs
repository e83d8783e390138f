import baseConfig from '../eslint.config.mjs';

/**
 * The direction between the backend's modules (docs/architecture.md): each module may import only the modules
 * below it. Shared infrastructure (common, config, auth, database, redis, health) imports no feature module;
 * tickets ← zendesk; tickets, llm ← analysis ← issues ← alerts; pipeline, api and metrics sit on top. Specs are exempt
 * (an end-to-end spec drives the whole app).
 */
const FEATURES = [
  'tickets',
  'accounts',
  'zendesk',
  'llm',
  'analysis',
  'issues',
  'alerts',
  'trackers',
  'pipeline',
  'api',
  'metrics',
];
const SHARED = ['common', 'config', 'auth', 'database', 'redis', 'health'];
const MAY_IMPORT = {
  tickets: [],
  accounts: ['tickets'],
  zendesk: ['tickets'],
  llm: [],
  analysis: ['tickets', 'llm'],
  issues: ['accounts', 'analysis', 'tickets', 'llm'],
  alerts: ['accounts', 'issues', 'analysis', 'tickets', 'llm'],
  trackers: ['accounts', 'issues', 'analysis', 'tickets', 'llm', 'alerts'],
  pipeline: ['accounts', 'tickets', 'zendesk', 'llm', 'analysis', 'issues', 'alerts', 'trackers'],
  metrics: ['accounts', 'tickets', 'zendesk', 'llm', 'analysis', 'issues', 'alerts', 'trackers', 'pipeline'],
  api: ['accounts', 'tickets', 'zendesk', 'llm', 'analysis', 'issues', 'alerts', 'trackers', 'pipeline'],
};

/** An import of `target` from anywhere inside another module: `../target/…`, `../../target/…` or `@app/target/…`. */
const importOf = (target) => `^(?:(?:\\.\\./)+|@app/)${target}(?:/|$)`;

const direction = (from, forbidden) => ({
  files: [`src/app/${from}/**/*.ts`],
  ignores: ['**/*.spec.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: forbidden.map((target) => ({
          regex: importOf(target),
          message: `${from} must not import ${target}: modules depend downwards only (see docs/architecture.md).`,
        })),
      },
    ],
  },
});

/** A relative import that climbs out of its module (`depth` folders below `src/app`): it must name the module instead. */
const leavesModule = (depth) => {
  // Exactly `depth` levels up is `src/app` (another module); one more is `src` (the shared test support).
  // `\x2F` is `/`: esquery reads a bare `/` as the regex's end.
  const climb = `^${'\\.\\.\\x2F'.repeat(depth)}(?!\\.\\.\\x2F)`;
  const message =
    'Import another module through its alias, `@app/<module>/…`, not a relative path (docs/architecture.md).';
  return {
    files: [`src/app/${'*/'.repeat(depth)}*.ts`],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...['ImportDeclaration', 'ExportNamedDeclaration', 'ExportAllDeclaration', 'ImportExpression'].map((node) => ({
          selector: `${node}[source.value=/${climb}/]`,
          message,
        })),
      ],
    },
  };
};

export default [
  ...baseConfig,
  // Sizes the next engineer can read: no source file over 600 lines, no function over 80 (migrations are history;
  // a spec's describe callback is a list of tests, not a function to read).
  {
    files: ['src/**/*.ts'],
    ignores: ['**/*.spec.ts', 'src/app/database/migrations/**'],
    rules: {
      'max-lines': ['error', { max: 600 }],
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
    },
  },
  ...Object.entries(MAY_IMPORT).map(([from, allowed]) =>
    direction(
      from,
      FEATURES.filter((m) => m !== from && !allowed.includes(m)),
    ),
  ),
  ...SHARED.map((from) => direction(from, FEATURES)),
  ...[1, 2, 3, 4, 5].map(leavesModule),
];
