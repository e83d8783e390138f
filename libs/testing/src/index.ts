export * from './zendesk';
export * from './anthropic';
export * from './pathological';
export * from './oidc';
export * from './receivers';
export * from './trackers';
