import { ssoEmail, ssoName, ssoRole, SsoRefusal } from './oidc-identity';

describe('the identity an OIDC provider vouches for', () => {
  it('takes a verified e-mail, lower-cased, from an allowed domain', () => {
    expect(ssoEmail({ email: 'Ann@Acme.com', email_verified: true }, ['acme.com'])).toBe('ann@acme.com');
    expect(ssoEmail({ email: 'ann@anywhere.org', email_verified: true }, [])).toBe('ann@anywhere.org');
    expect(() => ssoEmail({ email: 'ann@acme.com' }, [])).toThrow(SsoRefusal);
    expect(() => ssoEmail({ email: 'ann@acme.com', email_verified: 'true' }, [])).toThrow(/not verified/);
    expect(() => ssoEmail({ email: 'ann@evil.com', email_verified: true }, ['acme.com'])).toThrow(
      'The domain evil.com may not sign in here',
    );
    // A sub-domain is another domain.
    expect(() => ssoEmail({ email: 'ann@x.acme.com', email_verified: true }, ['acme.com'])).toThrow(SsoRefusal);
    expect(() => ssoEmail({ email_verified: true }, [])).toThrow(/no e-mail/);
  });

  it('maps the role claim: pim-* or plain names, the highest wins, viewer by default, undefined when absent', () => {
    expect(ssoRole({ groups: ['staff', 'pim-editor'] }, 'groups')).toBe('editor');
    expect(ssoRole({ groups: ['pim-viewer', 'Admin'] }, 'groups')).toBe('admin');
    expect(ssoRole({ roles: 'viewer editor' }, 'roles')).toBe('editor');
    expect(ssoRole({ groups: ['staff'] }, 'groups')).toBe('viewer');
    expect(ssoRole({ groups: [] }, 'groups')).toBe('viewer');
    expect(ssoRole({}, 'groups')).toBeUndefined();
    expect(ssoRole({ groups: ['pim-admin'] }, undefined)).toBeUndefined();
  });

  it('takes a display name', () => {
    expect(ssoName({ name: 'Ann Lee' })).toBe('Ann Lee');
    expect(ssoName({ given_name: 'Ann', family_name: 'Lee' })).toBe('Ann Lee');
    expect(ssoName({})).toBe('');
  });
});
