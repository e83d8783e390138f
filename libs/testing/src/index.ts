export * from './zendesk';
export * from './anthropic';
export * from './pathological';
export * from './receivers';
