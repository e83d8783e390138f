import { TokenCipher } from './token-cipher';

describe('TokenCipher', () => {
  const secret = 'a-jwt-secret-a-jwt-secret-a-jwt-secret';

  it('opens what it sealed, and a new nonce makes every sealing different', () => {
    const cipher = new TokenCipher(secret, 'oidc-refresh-token');
    const a = cipher.seal('refresh-token-value');
    expect(a).not.toContain('refresh-token-value');
    expect(cipher.seal('refresh-token-value')).not.toBe(a);
    expect(cipher.open(a)).toBe('refresh-token-value');
  });

  it('opens nothing sealed for another purpose or secret, tampered, or not sealed at all', () => {
    const sealed = new TokenCipher(secret, 'oidc-flow').seal('{"state":"x"}');
    expect(new TokenCipher(secret, 'oidc-refresh-token').open(sealed)).toBeUndefined();
    expect(new TokenCipher(`${secret}!`, 'oidc-flow').open(sealed)).toBeUndefined();
    const raw = Buffer.from(sealed, 'base64url');
    raw[raw.length - 1] ^= 1;
    expect(new TokenCipher(secret, 'oidc-flow').open(raw.toString('base64url'))).toBeUndefined();
    expect(new TokenCipher(secret, 'oidc-flow').open('not sealed')).toBeUndefined();
    expect(new TokenCipher(secret, 'oidc-flow').open('')).toBeUndefined();
  });
});
