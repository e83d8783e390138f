import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { EnvironmentVariables } from './env.schema';

export type ProcessRole = 'api' | 'worker' | 'all';
export type AnalysisMode = 'realtime' | 'batch' | 'auto';

/** The typed, validated configuration. Built once at boot by `loadConfig`. */
export interface AppConfig {
  readonly nodeEnv: 'development' | 'production' | 'test';
  readonly isProduction: boolean;
  readonly port: number;
  readonly dataDir: string;
  /** Unset → the embedded PostgreSQL (PGlite) is started and this is filled in by the launcher. */
  readonly databaseUrl?: string;
  readonly redisUrl?: string;
  /** Prefix of this deployment's Redis keys (Bull queues, cache). */
  readonly redisPrefix: string;
  readonly processRole: ProcessRole;
  /** The response cache (API_CACHE): off, every request computes its answer. */
  readonly apiCache: boolean;
  /** API processes forked on this machine, sharing the port (API_PROCESSES); 1: this process serves. */
  readonly apiProcesses: number;
  /** With Redis: lease of a worker's claim on a chunk of a run's analysis (RUN_CHUNK_LEASE_MS), renewed while working. */
  readonly runChunkLeaseMs: number;
  /** Lease of a run's owner (RUN_LEASE_MS), renewed on a timer while it executes the run; then it is resumed. */
  readonly runLeaseMs: number;
  /** Executions of a run before it is failed instead of resumed (RUN_MAX_ATTEMPTS). */
  readonly runMaxAttempts: number;
  readonly logLevel: string;
  readonly analysis: {
    readonly apiKey?: string;
    readonly baseUrl?: string;
    readonly model: string;
    readonly mode: AnalysisMode;
    readonly batchMin: number;
  };
  readonly zendesk: {
    readonly subdomain?: string;
    readonly email?: string;
    readonly apiToken?: string;
    readonly oauthToken?: string;
    readonly apiUrl?: string;
    readonly brandId?: number;
    /** The plan's requests per minute; the client stays under it. */
    readonly rateLimit: number;
    /** Simulation only (ZENDESK_SIM_TIME_SCALE): waits are divided by it. 1 against real Zendesk. */
    readonly timeScale: number;
    readonly configured: boolean;
  };
  readonly admin: { readonly email: string; readonly password?: string };
  readonly jwt: { readonly secret: string; readonly generated: boolean; readonly expiresInSec: number };
  readonly frontendUrls: readonly string[];
  /**
   * Express's `trust proxy` (TRUST_PROXY): false trusts no proxy (X-Forwarded-For ignored); a number of hops; or
   * the addresses/subnets of trusted proxies.
   */
  readonly trustProxy: false | number | readonly string[];
  readonly sync: { readonly cron: string; readonly timezone: string };
  /** Bearer token Prometheus scrapers use on GET /metrics. */
  readonly metricsToken?: string;
  /** Import the bundled demo dataset on an empty database when Zendesk is not configured. */
  readonly demoData: boolean;
  /** Alert channels from the environment (defaults of the alert settings) and delivery tuning (issue 17). */
  /** Accounts (issue 18): the default field mapping and the CSV feed polled nightly. */
  readonly accounts: {
    readonly arrField?: string;
    readonly planField?: string;
    readonly feedUrl?: string;
    readonly feedCron: string;
  };
  readonly alerts: {
    readonly slackWebhookUrl?: string;
    readonly webhookUrl?: string;
    readonly webhookSecret?: string;
    readonly smtpUrl?: string;
    readonly emailFrom?: string;
    readonly emailTo: readonly string[];
    /** ALERT_DELIVERY_ATTEMPTS: tries of one delivery before it is failed. */
    readonly deliveryAttempts: number;
    /** ALERT_RETRY_BASE_MS: the first retry's delay, doubled each try. */
    readonly retryBaseMs: number;
    /** ALERT_TIMEOUT_MS: timeout of one delivery request. */
    readonly timeoutMs: number;
  };
  /** Issue trackers clusters are filed in (each undefined unless fully configured) and the weekly digest. */
  readonly trackers: {
    readonly jira?: {
      readonly baseUrl: string;
      readonly email: string;
      readonly apiToken: string;
      readonly projectKey: string;
    };
    readonly linear?: { readonly apiUrl: string; readonly apiKey: string; readonly teamId: string };
    /** DIGEST_CRON, in SYNC_TIMEZONE. */
    readonly digestCron: string;
  };
  /** IMPORT_MAX_RECORD_BYTES: the largest record an import holds in memory; a larger one is reported and skipped. */
  readonly importMaxRecordBytes: number;
  /** PUBLIC_URL without its trailing slash: the console's and API's public origin (and path prefix, if any). */
  readonly publicUrl?: string;
  /** OpenID Connect single sign-on; undefined when OIDC_ISSUER is unset. */
  readonly oidc?: OidcConfig;
  /** SSO_ONLY: password login refused except for the break-glass admin (ADMIN_EMAIL). Needs `oidc`. */
  readonly ssoOnly: boolean;
}

export interface OidcConfig {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret?: string;
  /** Lower-case e-mail domains allowed to sign in; empty: any. */
  readonly allowedDomains: readonly string[];
  /** The claim mapped to a role (OIDC_ROLE_CLAIM); undefined: SSO users are viewers. */
  readonly roleClaim?: string;
  readonly scopes: string;
  /** Shown on the console's sign-in button. */
  readonly providerName: string;
  /** Lifetime of our bearer token for SSO sessions (seconds). */
  readonly accessTokenTtlSec: number;
}

export const DEFAULT_ANALYSIS_MODEL = 'claude-sonnet-4-6';

/** A configuration problem, reported as one line naming the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

// A wrong type or format says more than a range check on the same variable ("PORT must be an integer number").
const RANGE_CHECKS = new Set(['min', 'max', 'minLength', 'maxLength']);

function firstError(errors: ValidationError[]): string | undefined {
  for (const error of errors) {
    const entries = Object.entries(error.constraints ?? {});
    const constraint = (entries.find(([name]) => !RANGE_CHECKS.has(name)) ?? entries[0])?.[1];
    if (constraint) {
      // class-validator messages start with the property name ("PORT must be ..."); keep one line.
      return constraint.startsWith(error.property) ? constraint : `${error.property} ${constraint}`;
    }
  }
  return undefined;
}

/**
 * Validates the environment and returns the typed configuration. Throws `ConfigError` with one line naming the
 * first bad variable. May write `DATA_DIR/secrets.json` (a generated JWT secret) outside production.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = plainToInstance(EnvironmentVariables, { ...env }, { enableImplicitConversion: false });
  const errors = validateSync(parsed, { skipMissingProperties: false, whitelist: false });
  const message = firstError(errors);
  if (message) throw new ConfigError(`Invalid environment: ${message}`);

  const nodeEnv = parsed.NODE_ENV ?? 'development';
  const isProduction = nodeEnv === 'production';
  const frontendUrls = parseFrontendUrls(parsed.FRONTEND_URL);
  const trustProxy = parseTrustProxy(parsed.TRUST_PROXY);
  const timezone = parseTimezone(parsed.SYNC_TIMEZONE);
  checkCombinations(parsed);
  const oidc = oidcConfig(parsed);
  if (parsed.SSO_ONLY && !oidc)
    throw new ConfigError('Invalid environment: SSO_ONLY needs OIDC_ISSUER (and OIDC_CLIENT_ID)');
  const dataDir = resolve(parsed.DATA_DIR ?? './.data');
  const jwt = jwtSecret(parsed.JWT_SECRET, isProduction, dataDir);

  return Object.freeze({
    nodeEnv,
    isProduction,
    port: parsed.PORT ?? 8000,
    dataDir,
    databaseUrl: parsed.DATABASE_URL,
    redisUrl: parsed.REDIS_URL,
    redisPrefix: parsed.REDIS_PREFIX ?? 'pim',
    processRole: parsed.PROCESS_ROLE ?? 'all',
    apiCache: (parsed.API_CACHE ?? 'on') === 'on',
    apiProcesses: parsed.API_PROCESSES ?? 1,
    runChunkLeaseMs: parsed.RUN_CHUNK_LEASE_MS ?? 3 * 60_000,
    runLeaseMs: parsed.RUN_LEASE_MS ?? 2 * 60_000,
    runMaxAttempts: parsed.RUN_MAX_ATTEMPTS ?? 3,
    logLevel: parsed.LOG_LEVEL ?? (nodeEnv === 'test' ? 'warn' : 'info'),
    analysis: {
      apiKey: parsed.ANTHROPIC_API_KEY,
      baseUrl: parsed.ANTHROPIC_BASE_URL,
      model: parsed.ANALYSIS_MODEL ?? DEFAULT_ANALYSIS_MODEL,
      mode: parsed.ANALYSIS_MODE ?? 'auto',
      batchMin: parsed.ANALYSIS_BATCH_MIN ?? 100,
    },
    zendesk: zendeskConfig(parsed),
    admin: {
      email: (parsed.ADMIN_EMAIL ?? 'admin@example.com').toLowerCase(),
      password: parsed.ADMIN_PASSWORD ?? parsed.DASHBOARD_PASSWORD,
    },
    jwt: { secret: jwt.secret, generated: jwt.generated, expiresInSec: 12 * 60 * 60 },
    frontendUrls,
    trustProxy,
    sync: { cron: parsed.SYNC_CRON ?? '0 2 * * *', timezone },
    demoData: parsed.DEMO_DATA ?? true,
    importMaxRecordBytes: parsed.IMPORT_MAX_RECORD_BYTES ?? 8 * 1024 * 1024,
    metricsToken: parsed.METRICS_TOKEN,
    publicUrl: parsed.PUBLIC_URL?.replace(/\/+$/, ''),
    oidc,
    ssoOnly: parsed.SSO_ONLY ?? false,
    alerts: alertsConfig(parsed),
    trackers: trackersConfig(parsed),
    accounts: {
      arrField: parsed.ACCOUNT_ARR_FIELD,
      planField: parsed.ACCOUNT_PLAN_FIELD,
      feedUrl: parsed.ACCOUNT_FEED_URL,
      feedCron: parsed.ACCOUNT_FEED_CRON ?? '30 3 * * *',
    },
  });
}

/** FRONTEND_URL: a comma-separated list of origins (scheme and host, no path). */
function parseFrontendUrls(raw: string | undefined): string[] {
  const urls = (raw ?? '')
    .split(',')
    .map((url) => url.trim().replace(/\/$/, ''))
    .filter(Boolean);
  for (const url of urls) {
    if (!/^https?:\/\/[^\s/]+$/.test(url)) {
      throw new ConfigError(
        `Invalid environment: FRONTEND_URL must be a comma-separated list of origins (got "${url}")`,
      );
    }
  }
  return urls;
}

function parseTimezone(raw: string | undefined): string {
  const timezone = raw ?? 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw new ConfigError(`Invalid environment: SYNC_TIMEZONE must be an IANA time zone (got "${timezone}")`);
  }
  return timezone;
}

/** Variables that only make sense together (Zendesk credentials; roles that share work through Redis). */
function checkCombinations(parsed: EnvironmentVariables): void {
  if (parsed.ZENDESK_SUBDOMAIN || parsed.ZENDESK_API_TOKEN || parsed.ZENDESK_OAUTH_TOKEN) {
    if (!parsed.ZENDESK_SUBDOMAIN && !parsed.ZENDESK_API_URL) {
      throw new ConfigError('Invalid environment: ZENDESK_SUBDOMAIN is required when Zendesk credentials are set');
    }
    if (!parsed.ZENDESK_OAUTH_TOKEN && !(parsed.ZENDESK_EMAIL && parsed.ZENDESK_API_TOKEN)) {
      throw new ConfigError(
        'Invalid environment: ZENDESK_EMAIL and ZENDESK_API_TOKEN (or ZENDESK_OAUTH_TOKEN) are required for Zendesk',
      );
    }
  }
  if ((parsed.PROCESS_ROLE ?? 'all') !== 'all' && !parsed.REDIS_URL) {
    throw new ConfigError(
      `Invalid environment: REDIS_URL is required when PROCESS_ROLE=${parsed.PROCESS_ROLE} (roles share work through Redis)`,
    );
  }
  if ((parsed.API_PROCESSES ?? 1) > 1) {
    if (!parsed.DATABASE_URL || !parsed.REDIS_URL)
      throw new ConfigError(
        'Invalid environment: API_PROCESSES above 1 needs DATABASE_URL and REDIS_URL (the processes share their database, queue and cache invalidations)',
      );
  }
  if (parsed.PROCESS_ROLE === 'worker' && !parsed.DATABASE_URL) {
    throw new ConfigError(
      'Invalid environment: DATABASE_URL is required when PROCESS_ROLE=worker (the embedded database serves one process)',
    );
  }
}

/** JWT_SECRET, or outside production one generated once and kept in DATA_DIR/secrets.json. */
function jwtSecret(
  configured: string | undefined,
  isProduction: boolean,
  dataDir: string,
): { secret: string; generated: boolean } {
  if (configured) return { secret: configured, generated: false };
  if (isProduction) throw new ConfigError('Invalid environment: JWT_SECRET is required when NODE_ENV=production');
  return { secret: generatedSecret(dataDir, 'jwtSecret'), generated: true };
}

function zendeskConfig(parsed: EnvironmentVariables): AppConfig['zendesk'] {
  return {
    subdomain: parsed.ZENDESK_SUBDOMAIN,
    email: parsed.ZENDESK_EMAIL,
    apiToken: parsed.ZENDESK_API_TOKEN,
    oauthToken: parsed.ZENDESK_OAUTH_TOKEN,
    apiUrl:
      parsed.ZENDESK_API_URL ??
      (parsed.ZENDESK_SUBDOMAIN ? `https://${parsed.ZENDESK_SUBDOMAIN}.zendesk.com` : undefined),
    brandId: parsed.ZENDESK_BRAND_ID,
    rateLimit: parsed.ZENDESK_RATE_LIMIT ?? 200,
    timeScale: parsed.ZENDESK_SIM_TIME_SCALE ?? 1,
    configured: Boolean(parsed.ZENDESK_OAUTH_TOKEN || parsed.ZENDESK_API_TOKEN),
  };
}

function alertsConfig(parsed: EnvironmentVariables): AppConfig['alerts'] {
  return {
    slackWebhookUrl: parsed.ALERT_SLACK_WEBHOOK_URL,
    webhookUrl: parsed.ALERT_WEBHOOK_URL,
    webhookSecret: parsed.ALERT_WEBHOOK_SECRET,
    smtpUrl: parsed.SMTP_URL,
    emailFrom: parsed.ALERT_EMAIL_FROM,
    emailTo: Object.freeze(
      (parsed.ALERT_EMAIL_TO ?? '')
        .split(',')
        .map((address) => address.trim())
        .filter(Boolean),
    ),
    deliveryAttempts: parsed.ALERT_DELIVERY_ATTEMPTS ?? 4,
    retryBaseMs: parsed.ALERT_RETRY_BASE_MS ?? 2_000,
    timeoutMs: parsed.ALERT_TIMEOUT_MS ?? 10_000,
  };
}

function trackersConfig(parsed: EnvironmentVariables): AppConfig['trackers'] {
  const jiraSet = [parsed.JIRA_BASE_URL, parsed.JIRA_EMAIL, parsed.JIRA_API_TOKEN, parsed.JIRA_PROJECT_KEY];
  if (jiraSet.some(Boolean) && !jiraSet.every(Boolean))
    throw new ConfigError(
      'Invalid environment: JIRA_BASE_URL, JIRA_EMAIL, JIRA_API_TOKEN and JIRA_PROJECT_KEY are required together',
    );
  if (Boolean(parsed.LINEAR_API_KEY) !== Boolean(parsed.LINEAR_TEAM_ID))
    throw new ConfigError('Invalid environment: LINEAR_API_KEY and LINEAR_TEAM_ID are required together');
  return {
    jira: parsed.JIRA_API_TOKEN
      ? {
          baseUrl: parsed.JIRA_BASE_URL!.replace(/\/+$/, ''),
          email: parsed.JIRA_EMAIL!,
          apiToken: parsed.JIRA_API_TOKEN,
          projectKey: parsed.JIRA_PROJECT_KEY!,
        }
      : undefined,
    linear: parsed.LINEAR_API_KEY
      ? {
          apiUrl: parsed.LINEAR_API_URL ?? 'https://api.linear.app/graphql',
          apiKey: parsed.LINEAR_API_KEY,
          teamId: parsed.LINEAR_TEAM_ID!,
        }
      : undefined,
    digestCron: parsed.DIGEST_CRON ?? '0 8 * * 1',
  };
}

function oidcConfig(parsed: EnvironmentVariables): OidcConfig | undefined {
  if (!parsed.OIDC_ISSUER) {
    if (parsed.OIDC_CLIENT_ID)
      throw new ConfigError('Invalid environment: OIDC_CLIENT_ID is set but OIDC_ISSUER is not');
    return undefined;
  }
  if (!parsed.OIDC_CLIENT_ID) throw new ConfigError('Invalid environment: OIDC_CLIENT_ID is required with OIDC_ISSUER');
  const scopes = (parsed.OIDC_SCOPES ?? 'openid email profile offline_access').trim().split(/\s+/);
  if (!scopes.includes('openid')) throw new ConfigError('Invalid environment: OIDC_SCOPES must include openid');
  return {
    issuer: parsed.OIDC_ISSUER,
    clientId: parsed.OIDC_CLIENT_ID,
    clientSecret: parsed.OIDC_CLIENT_SECRET,
    allowedDomains: (parsed.OIDC_ALLOWED_DOMAINS ?? '')
      .split(',')
      .map((domain) => domain.trim().toLowerCase().replace(/^@/, ''))
      .filter(Boolean),
    roleClaim: parsed.OIDC_ROLE_CLAIM,
    scopes: scopes.join(' '),
    providerName: parsed.OIDC_PROVIDER_NAME ?? 'SSO',
    accessTokenTtlSec: parsed.OIDC_ACCESS_TOKEN_TTL ?? 300,
  };
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * TRUST_PROXY → Express's `trust proxy`. Unset (or `0`, `false`) trusts nobody: X-Forwarded-For is ignored and
 * the client address is the socket's. `true` (trust every hop, so anyone can spoof the address) is refused.
 */
export function parseTrustProxy(value: string | undefined): false | number | readonly string[] {
  const text = value?.trim().toLowerCase();
  if (!text || text === 'false' || text === '0') return false;
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops > 10) throw new ConfigError('Invalid environment: TRUST_PROXY must be a hop count of at most 10');
    return hops;
  }
  const entries = text.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    if (!PROXY_NAMES.has(entry) && !isProxyAddress(entry)) {
      throw new ConfigError(
        `Invalid environment: TRUST_PROXY must be a hop count or a comma list of addresses, subnets and ` +
          `loopback/linklocal/uniquelocal (got "${entry}")`,
      );
    }
  }
  return Object.freeze(entries);
}

/** An IP address, or a subnet as address/prefix or address/netmask (the forms proxy-addr accepts). */
function isProxyAddress(entry: string): boolean {
  const [address, range, extra] = entry.split('/');
  const version = isIP(address);
  if (!version || extra !== undefined) return false;
  if (range === undefined) return true;
  if (/^\d{1,3}$/.test(range)) return Number(range) <= (version === 4 ? 32 : 128);
  return version === 4 && isIP(range) === 4;
}

/** Reads a generated secret from DATA_DIR/secrets.json, creating it (mode 0600) on first use. */
function generatedSecret(dataDir: string, key: string): string {
  const file = join(dataDir, 'secrets.json');
  let secrets: Record<string, string> = {};
  if (existsSync(file)) {
    try {
      secrets = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    } catch {
      throw new ConfigError(`Invalid environment: DATA_DIR holds an unreadable ${file}; remove it or set JWT_SECRET`);
    }
  }
  if (!secrets[key]) {
    secrets[key] = randomBytes(48).toString('base64url');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return secrets[key];
}
