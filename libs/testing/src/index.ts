export * from './zendesk';
export * from './anthropic';
