import { textMining } from './text-mining';

describe('textMining', () => {
  it('should work', () => {
    expect(textMining()).toEqual('text-mining');
  });
});
