import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'pim-config-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const load = (env: Record<string, string>) => loadConfig({ DATA_DIR: dataDir, ...env });
  const errorOf = (env: Record<string, string>) => {
    try {
      load(env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error('expected a ConfigError');
  };

  it('starts zero-config with the documented defaults and a generated, persisted JWT secret', () => {
    const config = load({});
    expect(config).toMatchObject({
      port: 8000,
      processRole: 'all',
      apiCache: true,
      databaseUrl: undefined,
      redisUrl: undefined,
      admin: { email: 'admin@example.com', password: undefined },
      analysis: { mode: 'auto', batchMin: 100, apiKey: undefined },
      sync: { cron: '0 2 * * *', timezone: 'UTC' },
      jwt: { generated: true },
      zendesk: { configured: false },
    });
    const file = join(dataDir, 'secrets.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8')).jwtSecret).toBe(config.jwt.secret);
    expect(load({}).jwt.secret).toBe(config.jwt.secret);
  });

  it.each([
    [{ PORT: 'eighty' }, /^Invalid environment: PORT must be an integer number$/],
    [{ PORT: '70000' }, /PORT must not be greater than 65535/],
    [{ DATABASE_URL: 'mysql://x@y/z' }, /DATABASE_URL must be a postgres:\/\/ URL/],
    [{ REDIS_URL: 'localhost:6379' }, /REDIS_URL must be a redis:\/\/ URL/],
    [{ PROCESS_ROLE: 'boss' }, /PROCESS_ROLE must be one of/],
    [{ API_CACHE: 'maybe' }, /API_CACHE must be one of/],
    [{ ANALYSIS_MODE: 'sometimes' }, /ANALYSIS_MODE must be one of/],
    [{ ANALYSIS_BATCH_MIN: '0' }, /ANALYSIS_BATCH_MIN must not be less than 1/],
    [{ ADMIN_EMAIL: 'root' }, /ADMIN_EMAIL must be an email address/],
    [{ ADMIN_PASSWORD: 'short' }, /ADMIN_PASSWORD must be at least 8 characters/],
    [{ JWT_SECRET: 'short' }, /JWT_SECRET must be at least 32 characters/],
    [{ SYNC_CRON: 'nightly' }, /SYNC_CRON must be a cron expression/],
    [{ SYNC_TIMEZONE: 'Mars/Olympus' }, /SYNC_TIMEZONE must be an IANA time zone/],
    [{ FRONTEND_URL: 'console.example.com' }, /FRONTEND_URL must be a comma-separated list of origins/],
    [{ ZENDESK_API_TOKEN: 'abc' }, /ZENDESK_SUBDOMAIN is required/],
    [{ ZENDESK_SUBDOMAIN: 'acme', ZENDESK_API_TOKEN: 'abc' }, /ZENDESK_EMAIL and ZENDESK_API_TOKEN/],
    [{ PROCESS_ROLE: 'worker' }, /REDIS_URL is required when PROCESS_ROLE=worker/],
    [{ PROCESS_ROLE: 'worker', REDIS_URL: 'redis://r:6379' }, /DATABASE_URL is required when PROCESS_ROLE=worker/],
    [{ API_PROCESSES: '0' }, /API_PROCESSES must not be less than 1/],
    [{ API_PROCESSES: '2' }, /API_PROCESSES above 1 needs DATABASE_URL and REDIS_URL/],
    [{ API_PROCESSES: '2', DATABASE_URL: 'postgres://p/db' }, /API_PROCESSES above 1 needs DATABASE_URL and REDIS_URL/],
  ])('stops on %p with one line naming the variable', (env, message) => {
    const text = errorOf(env as Record<string, string>);
    expect(text).toMatch(message);
    expect(text).not.toContain('\n');
  });

  it('runs one API process unless API_PROCESSES says more (with PostgreSQL and Redis)', () => {
    expect(load({}).apiProcesses).toBe(1);
    const env = {
      API_PROCESSES: '3',
      DATABASE_URL: 'postgres://p/db',
      REDIS_URL: 'redis://r:6379',
      PROCESS_ROLE: 'api',
    };
    expect(load(env).apiProcesses).toBe(3);
  });

  it('turns the response cache off with API_CACHE=off (any case), on otherwise', () => {
    expect(load({ API_CACHE: 'off' }).apiCache).toBe(false);
    expect(load({ API_CACHE: 'OFF' }).apiCache).toBe(false);
    expect(load({ API_CACHE: 'on' }).apiCache).toBe(true);
    expect(load({ API_CACHE: '' }).apiCache).toBe(true);
  });

  it('refuses generated secrets in production', () => {
    expect(errorOf({ NODE_ENV: 'production' })).toBe(
      'Invalid environment: JWT_SECRET is required when NODE_ENV=production',
    );
    const config = load({ NODE_ENV: 'production', JWT_SECRET: 's'.repeat(40) });
    expect(config.jwt).toMatchObject({ generated: false, secret: 's'.repeat(40) });
  });

  it('accepts DASHBOARD_PASSWORD as an alias of ADMIN_PASSWORD, ADMIN_PASSWORD winning', () => {
    expect(load({ DASHBOARD_PASSWORD: 'dashboard-pw' }).admin.password).toBe('dashboard-pw');
    expect(load({ DASHBOARD_PASSWORD: 'dashboard-pw', ADMIN_PASSWORD: 'admin-pass' }).admin.password).toBe(
      'admin-pass',
    );
  });

  it('derives the Zendesk URL from the subdomain unless overridden', () => {
    const base = { ZENDESK_SUBDOMAIN: 'acme', ZENDESK_EMAIL: 'a@acme.com', ZENDESK_API_TOKEN: 't' };
    expect(load(base).zendesk).toMatchObject({ apiUrl: 'https://acme.zendesk.com', configured: true });
    expect(load({ ...base, ZENDESK_API_URL: 'http://127.0.0.1:8025' }).zendesk.apiUrl).toBe('http://127.0.0.1:8025');
  });

  it('treats empty variables as unset and parses lists', () => {
    const config = load({ PORT: '', DATABASE_URL: '', FRONTEND_URL: 'https://a.example.com, http://localhost:4200/' });
    expect(config.port).toBe(8000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.frontendUrls).toEqual(['https://a.example.com', 'http://localhost:4200']);
  });

  it('trusts no proxy unless TRUST_PROXY says which: a hop count or addresses, subnets and named ranges', () => {
    expect(load({}).trustProxy).toBe(false);
    expect(load({ TRUST_PROXY: '' }).trustProxy).toBe(false);
    expect(load({ TRUST_PROXY: '0' }).trustProxy).toBe(false);
    expect(load({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(load({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(
      load({ TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::/8, 192.168.1.7, 172.16.0.0/255.240.0.0' }).trustProxy,
    ).toEqual(['loopback', '10.0.0.0/8', 'fd00::/8', '192.168.1.7', '172.16.0.0/255.240.0.0']);
    for (const bad of ['true', 'everyone', '10.0.0.0/33', '10.0.0.1/8/1', 'fd00::/129', '99'])
      expect(errorOf({ TRUST_PROXY: bad })).toMatch(/^Invalid environment: TRUST_PROXY must be/);
  });
  it('reads single sign-on: defaults, domains lower-cased, and the combinations it refuses', () => {
    expect(load({})).toMatchObject({ oidc: undefined, ssoOnly: false, publicUrl: undefined });
    const config = load({
      OIDC_ISSUER: 'https://idp.example.com/realms/acme',
      OIDC_CLIENT_ID: 'pim',
      OIDC_CLIENT_SECRET: 'secret',
      OIDC_ALLOWED_DOMAINS: 'Acme.com, @acme.io',
      OIDC_ROLE_CLAIM: 'groups',
      SSO_ONLY: 'true',
      PUBLIC_URL: 'https://pim.example.com/',
    });
    expect(config).toMatchObject({
      ssoOnly: true,
      publicUrl: 'https://pim.example.com',
      oidc: {
        issuer: 'https://idp.example.com/realms/acme',
        clientId: 'pim',
        allowedDomains: ['acme.com', 'acme.io'],
        roleClaim: 'groups',
        scopes: 'openid email profile offline_access',
        providerName: 'SSO',
        accessTokenTtlSec: 300,
      },
    });
    expect(errorOf({ SSO_ONLY: 'true' })).toMatch(/SSO_ONLY needs OIDC_ISSUER/);
    expect(errorOf({ OIDC_ISSUER: 'https://idp.example.com' })).toMatch(/OIDC_CLIENT_ID is required/);
    expect(errorOf({ OIDC_ISSUER: 'idp', OIDC_CLIENT_ID: 'pim' })).toMatch(/^Invalid environment: OIDC_ISSUER/);
    expect(errorOf({ OIDC_ISSUER: 'https://i.example', OIDC_CLIENT_ID: 'p', OIDC_SCOPES: 'email' })).toMatch(
      /OIDC_SCOPES must include openid/,
    );
    expect(errorOf({ OIDC_ALLOWED_DOMAINS: 'acme.com; evil' })).toMatch(/OIDC_ALLOWED_DOMAINS/);
  });
});
