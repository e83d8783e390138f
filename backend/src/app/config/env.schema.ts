import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : /^-?\d+$/.test(String(value)) ? Number(value) : value;
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);
const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === ''
    ? undefined
    : ['1', 'true', 'yes'].includes(String(value).toLowerCase())
      ? true
      : ['0', 'false', 'no'].includes(String(value).toLowerCase())
        ? false
        : value;

/**
 * Decorators applied as if stacked in this order above a property (`applyDecorators` applies them in list order,
 * a stack bottom-up): the validation messages keep the order of the stacked decorators they replace.
 */
const stacked = (...decorators: PropertyDecorator[]) => applyDecorators(...decorators.reverse());

/** Unset or empty: undefined (no other check when absent). */
const OptionalValue = () => stacked(Transform(emptyToUndefined), IsOptional());
/** An optional string (empty: unset). */
const OptionalString = () => stacked(OptionalValue(), IsString());
/** An optional whole number at least `min` (and at most `max`); a numeric string is read as a number. */
const OptionalInt = (min: number, max?: number) =>
  stacked(Transform(toInt), IsOptional(), IsInt(), Min(min), ...(max === undefined ? [] : [Max(max)]));
/** An optional yes/no: 1/true/yes or 0/false/no (any case). */
const OptionalBoolean = () => stacked(Transform(toBool), IsOptional(), IsBoolean());

const DB_URL = { protocols: ['postgres', 'postgresql'], require_tld: false, require_protocol: true };
const REDIS_URL = { protocols: ['redis', 'rediss'], require_tld: false, require_protocol: true };
const HTTP_URL = { protocols: ['http', 'https'], require_tld: false, require_protocol: true };
/** An optional http(s) URL (empty: unset). */
const OptionalHttpUrl = () => stacked(OptionalValue(), IsUrl(HTTP_URL, { message: 'must be an http(s) URL' }));

/**
 * The environment, as DESIGN.md lists it. This class is the only reader of `process.env`
 * (see `loadConfig`); everything else asks the typed `AppConfig`.
 */
export class EnvironmentVariables {
  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV?: 'development' | 'production' | 'test';

  @OptionalInt(0, 65535)
  PORT?: number;

  @OptionalValue()
  @IsUrl(DB_URL, { message: 'must be a postgres:// URL' })
  DATABASE_URL?: string;

  @OptionalString()
  DATA_DIR?: string;

  @OptionalValue()
  @IsUrl(REDIS_URL, { message: 'must be a redis:// URL' })
  REDIS_URL?: string;

  /** Key prefix of this deployment's queues and cache in Redis (deployments sharing one Redis need their own). */
  @OptionalValue()
  @Matches(/^[A-Za-z0-9_-]{1,40}$/, { message: 'must be 1–40 letters, digits, _ or -' })
  REDIS_PREFIX?: string;

  /**
   * The response cache of the issue and cluster lists, summary, trends and status totals: `on` (default) or `off`
   * (every request computes its answer: what the uncached pass of bench/api measures).
   */
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : String(value).toLowerCase()))
  @IsOptional()
  @IsIn(['on', 'off'])
  API_CACHE?: 'on' | 'off';

  @OptionalValue()
  @IsIn(['api', 'worker', 'all'])
  PROCESS_ROLE?: 'api' | 'worker' | 'all';

  /**
   * API processes on this machine (PROCESS_ROLE api or all): above 1, the started process forks that many, which
   * share the port (Node's cluster module), so the API uses every core; one that dies is replaced. Needs
   * DATABASE_URL and REDIS_URL (the processes share the cache and its invalidations through Redis). Default 1;
   * queue workers (worker.js, PROCESS_ROLE=worker) ignore it: add workers instead.
   */
  @OptionalInt(1, 64)
  API_PROCESSES?: number;

  /**
   * With Redis, how long a worker's claim on a chunk of a run's analysis lasts without renewal (it renews it while
   * working): a claim older than this (its worker died) is taken over by another worker. Milliseconds.
   */
  @OptionalInt(500, 3_600_000)
  RUN_CHUNK_LEASE_MS?: number;

  /**
   * How long a run's owner (the process executing it) holds the run without renewing its lease (it renews it on a
   * timer while it works): a run whose lease ran out (its process died or hung) is resumed by another. Milliseconds.
   */
  @OptionalInt(1000, 3_600_000)
  RUN_LEASE_MS?: number;

  /** Executions of one run before it is failed instead of resumed again (its processes keep dying on it). */
  @OptionalInt(1, 100)
  RUN_MAX_ATTEMPTS?: number;

  @OptionalString()
  @MinLength(8)
  ANTHROPIC_API_KEY?: string;

  @OptionalHttpUrl()
  ANTHROPIC_BASE_URL?: string;

  @OptionalValue()
  @Matches(/^[a-z0-9][a-z0-9.\-:@]*$/i, { message: 'must be a model id' })
  ANALYSIS_MODEL?: string;

  @OptionalValue()
  @IsIn(['realtime', 'batch', 'auto'])
  ANALYSIS_MODE?: 'realtime' | 'batch' | 'auto';

  @OptionalInt(1)
  ANALYSIS_BATCH_MIN?: number;

  /** The largest record (JSONL line, CSV record, JSON array element) an import holds; a larger one is skipped. */
  @OptionalInt(1024, 512 * 1024 * 1024)
  IMPORT_MAX_RECORD_BYTES?: number;

  @OptionalValue()
  @Matches(/^[a-z0-9][a-z0-9-]*$/i, { message: 'must be a Zendesk subdomain' })
  ZENDESK_SUBDOMAIN?: string;

  @OptionalValue()
  @IsEmail({}, { message: 'must be an email address' })
  ZENDESK_EMAIL?: string;

  @OptionalString()
  ZENDESK_API_TOKEN?: string;

  @OptionalString()
  ZENDESK_OAUTH_TOKEN?: string;

  @OptionalHttpUrl()
  ZENDESK_API_URL?: string;

  @OptionalInt(1)
  ZENDESK_BRAND_ID?: number;

  /** Requests per minute of the account's plan (Team 200, Professional 400, Enterprise 700, High Volume 2500). */
  @OptionalInt(10, 10000)
  ZENDESK_RATE_LIMIT?: number;

  /**
   * Simulation only: divides every rate-limit window and Retry-After the Zendesk client waits by this factor, so
   * benchmarks and demos against the Zendesk simulator (which reads the same variable) run minutes in seconds.
   */
  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsOptional()
  @IsNumber({}, { message: 'must be a number' })
  @Min(1)
  @Max(1000)
  ZENDESK_SIM_TIME_SCALE?: number;

  // --- Alerts (issue 17): channels (each also editable in settings, the environment being the default) ---

  /** Slack incoming webhook the alerts post to (a secret: never returned by the API nor logged). */
  @OptionalHttpUrl()
  ALERT_SLACK_WEBHOOK_URL?: string;

  /** Generic outgoing webhook the alerts post JSON to, signed with ALERT_WEBHOOK_SECRET. */
  @OptionalHttpUrl()
  ALERT_WEBHOOK_URL?: string;

  /** HMAC-SHA256 key of the webhook's `X-PIM-Signature: sha256=<hex>` header. */
  @OptionalString()
  @MinLength(16, { message: 'must be at least 16 characters' })
  ALERT_WEBHOOK_SECRET?: string;

  /** SMTP server of alert e-mail, e.g. `smtp://user:pass@host:587` or `smtps://host:465`. */
  @OptionalValue()
  @IsUrl(
    { protocols: ['smtp', 'smtps'], require_tld: false, require_protocol: true },
    { message: 'must be an smtp:// or smtps:// URL' },
  )
  SMTP_URL?: string;

  @OptionalValue()
  @IsEmail({ require_tld: false }, { message: 'must be an email address' })
  ALERT_EMAIL_FROM?: string;

  /** Comma-separated recipients of alert e-mail. */
  @OptionalValue()
  @Matches(/^\s*[^\s,@]+@[^\s,@]+(\s*,\s*[^\s,@]+@[^\s,@]+)*\s*$/, {
    message: 'must be a comma list of email addresses',
  })
  ALERT_EMAIL_TO?: string;

  /** Tries of one alert delivery before it is failed (5xx, timeouts and 429 are retried with backoff). */
  @OptionalInt(1, 10)
  ALERT_DELIVERY_ATTEMPTS?: number;

  /** First retry delay of an alert delivery in ms (doubled each try, unless Retry-After says otherwise). */
  @OptionalInt(1, 600_000)
  ALERT_RETRY_BASE_MS?: number;

  /** Timeout of one alert delivery request in ms. */
  @OptionalInt(100, 120_000)
  ALERT_TIMEOUT_MS?: number;

  // --- end of alerts ---

  // --- Trackers (issue 17): Jira Cloud and Linear issues filed from clusters; the weekly digest ---

  /** Jira Cloud site, e.g. `https://acme.atlassian.net`. */
  @OptionalHttpUrl()
  JIRA_BASE_URL?: string;

  @OptionalValue()
  @IsEmail({ require_tld: false }, { message: 'must be an email address' })
  JIRA_EMAIL?: string;

  /** Atlassian API token of JIRA_EMAIL (a secret: never returned by the API nor logged). */
  @OptionalString()
  JIRA_API_TOKEN?: string;

  /** The Jira project issues are created in, e.g. `PIM`. */
  @OptionalValue()
  @Matches(/^[A-Z][A-Z0-9_]{0,9}$/, { message: 'must be a Jira project key (e.g. PIM)' })
  JIRA_PROJECT_KEY?: string;

  /** Linear GraphQL endpoint (default the public one). */
  @OptionalHttpUrl()
  LINEAR_API_URL?: string;

  /** Linear personal API key (a secret: never returned by the API nor logged). */
  @OptionalString()
  LINEAR_API_KEY?: string;

  /** The Linear team issues are created in (its id). */
  @OptionalString()
  LINEAR_TEAM_ID?: string;

  /** When the weekly digest is sent (in SYNC_TIMEZONE); default Monday 08:00. */
  @OptionalValue()
  @Matches(/^(\S+\s+){4,5}\S+$/, { message: 'must be a cron expression' })
  DIGEST_CRON?: string;

  // --- end of trackers ---
  // --- Accounts (issue 18): organization field keys holding ARR and plan (defaults of the settings mapping) ---
  @OptionalString()
  @MaxLength(200)
  ACCOUNT_ARR_FIELD?: string;

  @OptionalString()
  @MaxLength(200)
  ACCOUNT_PLAN_FIELD?: string;

  /** CSV account feed polled nightly (ACCOUNT_FEED_CRON, default 03:30), matched by organization id, domain, name. */
  @OptionalHttpUrl()
  ACCOUNT_FEED_URL?: string;

  @OptionalValue()
  @Matches(/^(\S+\s+){4,5}\S+$/, { message: 'must be a cron expression' })
  ACCOUNT_FEED_CRON?: string;

  /** Static bearer token for Prometheus scrapers on GET /metrics (admins' tokens work too). */
  @OptionalString()
  @MinLength(16, { message: 'must be at least 16 characters' })
  METRICS_TOKEN?: string;

  @OptionalValue()
  @IsEmail({ require_tld: false }, { message: 'must be an email address' })
  ADMIN_EMAIL?: string;

  @OptionalString()
  @MinLength(8, { message: 'must be at least 8 characters' })
  ADMIN_PASSWORD?: string;

  @OptionalString()
  @MinLength(8, { message: 'must be at least 8 characters' })
  DASHBOARD_PASSWORD?: string;

  @OptionalString()
  @MinLength(32, { message: 'must be at least 32 characters' })
  JWT_SECRET?: string;

  @OptionalString()
  FRONTEND_URL?: string;

  /**
   * Which proxies in front of the API may set X-Forwarded-For (the client address login throttling counts):
   * unset → none; a hop count (`1` behind one proxy such as the console's nginx); or a comma list of addresses,
   * subnets (CIDR) and Express's names `loopback`, `linklocal`, `uniquelocal`. Checked by `parseTrustProxy`.
   */
  @OptionalString()
  TRUST_PROXY?: string;

  /** The public base URL of the console and API (e.g. https://pim.example.com); the OIDC redirect URI is built on it. */
  @OptionalHttpUrl()
  PUBLIC_URL?: string;

  /** OpenID Connect issuer of the company's identity provider (discovery at /.well-known/openid-configuration). */
  @OptionalHttpUrl()
  OIDC_ISSUER?: string;

  @OptionalString()
  OIDC_CLIENT_ID?: string;

  @OptionalString()
  OIDC_CLIENT_SECRET?: string;

  /** Comma-separated e-mail domains allowed to sign in with SSO (unset: any domain the provider vouches for). */
  @OptionalValue()
  @Matches(/^\s*@?[a-z0-9.-]+\s*(,\s*@?[a-z0-9.-]+\s*)*$/i, { message: 'must be a comma-separated list of domains' })
  OIDC_ALLOWED_DOMAINS?: string;

  /** The ID token claim that carries the user's groups or role (e.g. `groups`); unset: every SSO user is a viewer. */
  @OptionalValue()
  @Matches(/^[A-Za-z0-9_:./-]{1,200}$/, { message: 'must be a claim name' })
  OIDC_ROLE_CLAIM?: string;

  /** Scopes asked of the provider (default `openid email profile offline_access`). */
  @OptionalString()
  OIDC_SCOPES?: string;

  /** The name the console shows on its sign-in button ("Sign in with …"; default SSO). */
  @OptionalString()
  @Matches(/^.{1,60}$/, { message: 'must be 1–60 characters' })
  OIDC_PROVIDER_NAME?: string;

  /** Lifetime of the console's bearer token for SSO sessions, in seconds: the console refreshes at the provider. */
  @OptionalInt(10, 3600)
  OIDC_ACCESS_TOKEN_TTL?: number;

  /** Only SSO signs in: password login is refused except for the break-glass admin (ADMIN_EMAIL). */
  @OptionalBoolean()
  SSO_ONLY?: boolean;

  @OptionalValue()
  @Matches(/^(\S+\s+){4,5}\S+$/, { message: 'must be a cron expression' })
  SYNC_CRON?: string;

  @OptionalString()
  SYNC_TIMEZONE?: string;

  @OptionalValue()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;

  @OptionalBoolean()
  DEMO_DATA?: boolean;
}
