export * from './zendesk';
