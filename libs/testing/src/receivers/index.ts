export * from './http-receiver';
export * from './slack-webhook';
export * from './webhook-receiver';
export * from './smtp-receiver';
