export function textMining(): string {
  return 'text-mining';
}
