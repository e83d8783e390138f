import baseConfig from '../eslint.config.mjs';

/**
 * The direction between the backend's modules (docs/architecture.md): each module may import only the modules
 * below it. Shared infrastructure (common, config, auth, database, redis, health) imports no feature module;
 * tickets ← zendesk; tickets, llm ← analysis ← issues ← alerts; pipeline, api and metrics sit on top. Specs are exempt
 * (an end-to-end spec drives the whole app).
 */
const FEATURES = ['tickets', 'zendesk', 'llm', 'analysis', 'issues', 'alerts', 'pipeline', 'api', 'metrics'];
FEATURES.push('trackers'); // above alerts; pipeline, api and metrics may import it
const SHARED = ['common', 'config', 'auth', 'database', 'redis', 'health'];
const MAY_IMPORT = {
  tickets: [],
  zendesk: ['tickets'],
  llm: [],
  analysis: ['tickets', 'llm'],
  issues: ['analysis', 'tickets', 'llm'],
  alerts: ['issues', 'analysis', 'tickets', 'llm'],
  trackers: ['issues', 'analysis', 'tickets', 'llm', 'alerts'],
  pipeline: ['tickets', 'zendesk', 'llm', 'analysis', 'issues', 'alerts', 'trackers'],
  metrics: ['tickets', 'zendesk', 'llm', 'analysis', 'issues', 'alerts', 'trackers', 'pipeline'],
  api: ['tickets', 'zendesk', 'llm', 'analysis', 'issues', 'alerts', 'trackers', 'pipeline'],
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
];
