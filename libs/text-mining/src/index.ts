export * from './lib/text-mining';
