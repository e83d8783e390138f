import nx from '@nx/eslint-plugin';
import baseConfig from '../eslint.config.mjs';

export default [
  ...nx.configs['flat/angular'],
  ...nx.configs['flat/angular-template'],
  ...baseConfig,
  {
    files: ['**/*.ts'],
    rules: {
      '@angular-eslint/directive-selector': [
        'error',
        {
          type: 'attribute',
          prefix: 'pim',
          style: 'camelCase',
        },
      ],
      '@angular-eslint/component-selector': [
        'error',
        {
          type: 'element',
          prefix: 'pim',
          style: 'kebab-case',
        },
      ],
    },
  },
  {
    // End-to-end tests drive the built API against the Zendesk simulator and Anthropic stub (libs/testing):
    // test harness code, not console code, so the frontend/backend boundary does not apply to it.
    files: ['**/e2e/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  {
    files: ['**/*.html'],
    // Override or add rules here
    rules: {},
  },
];
