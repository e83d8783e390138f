import { HttpException, HttpStatus, Inject, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import type Redis from 'ioredis';
import { isIPv6 } from 'node:net';
import { AppConfig } from '@app/config/app-config';
import { APP_CONFIG } from '@app/config/config.module';
import { REDIS_CLIENT } from '@app/redis/redis.module';
import {
  LOGIN_BACKOFF_AFTER,
  LOGIN_BACKOFF_BASE_MS,
  LOGIN_BACKOFF_MAX_MS,
  LOGIN_CEILING_PER_ACCOUNT,
  LOGIN_KNOWN_ADDRESS_MS,
  LOGIN_LIMIT_PER_ACCOUNT,
  LOGIN_LIMIT_PER_IP,
  LOGIN_WINDOW_MS,
} from './auth.constants';

export const TOO_MANY_LOGINS = 'Too many login attempts; try again later';

/** The counters of one attempt: account from this address, this address, account from everywhere, known marker. */
export interface LoginKeys {
  pair: string;
  address: string;
  account: string;
  known: string;
}

/** Failures counted before this attempt, and whether the account signed in from this address before. */
export interface LoginTake {
  allowed: boolean;
  pair: number;
  address: number;
  account: number;
  known: boolean;
}

/** `success`: the password was right (the address becomes known); `void`: the attempt proved nothing. */
export type LoginOutcome = 'success' | 'void';

export interface LoginCounters {
  /** Counts the attempt as a failure up front (so parallel guesses cannot overshoot), unless a limit refuses it. */
  take(keys: LoginKeys): Promise<LoginTake>;
  /** Gives a counted attempt back. */
  giveBack(keys: LoginKeys, outcome: LoginOutcome): Promise<void>;
}

/** Wait before an attempt on an account that failed `accountFailures` times in the window (doubling every 10). */
export function loginBackoffMs(accountFailures: number): number {
  if (accountFailures < LOGIN_BACKOFF_AFTER) return 0;
  const doublings = Math.floor((accountFailures - LOGIN_BACKOFF_AFTER) / 10);
  return Math.min(LOGIN_BACKOFF_MAX_MS, LOGIN_BACKOFF_BASE_MS * 2 ** Math.min(doublings, 30));
}

/**
 * The address a limit counts: IPv4 as it is, IPv6 by its /64 (one subscriber or host usually owns a whole /64, so
 * counting single IPv6 addresses would give an attacker endless fresh ones).
 */
export function clientAddressKey(ip: string | undefined): string {
  if (!ip) return 'unknown';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1];
  const bare = ip.replace(/%.*$/, '');
  if (!isIPv6(bare)) return bare;
  const [head, tail = ''] = bare.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = bare.includes('::') && tail ? tail.split(':') : [];
  const groups = [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** In-process counters: one replica's view, used without Redis and while Redis is unreachable. */
export class MemoryLoginCounters implements LoginCounters {
  private readonly counts = new Map<string, { n: number; until: number }>();
  private readonly known = new Map<string, number>();
  private sweptAt = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async take(keys: LoginKeys): Promise<LoginTake> {
    const now = this.now();
    this.sweep(now);
    const read = (key: string) => {
      const entry = this.counts.get(key);
      return entry && entry.until > now ? entry.n : 0;
    };
    const knownUntil = this.known.get(keys.known);
    const taken = {
      pair: read(keys.pair),
      address: read(keys.address),
      account: read(keys.account),
      known: knownUntil !== undefined && knownUntil > now,
    };
    const allowed = isAllowed(taken);
    if (allowed)
      for (const key of [keys.pair, keys.address, keys.account]) {
        const entry = this.counts.get(key);
        if (entry && entry.until > now) entry.n += 1;
        else this.counts.set(key, { n: 1, until: now + LOGIN_WINDOW_MS });
      }
    return { allowed, ...taken };
  }

  async giveBack(keys: LoginKeys, outcome: LoginOutcome): Promise<void> {
    const now = this.now();
    for (const key of [keys.pair, keys.address, keys.account]) {
      const entry = this.counts.get(key);
      if (entry && entry.until > now && entry.n > 0) entry.n -= 1;
    }
    if (outcome === 'success') {
      this.counts.delete(keys.pair);
      this.known.set(keys.known, now + LOGIN_KNOWN_ADDRESS_MS);
    }
  }

  /** Drops expired entries once a minute, so a long-running process under attack does not grow without end. */
  private sweep(now: number): void {
    if (now - this.sweptAt < 60_000) return;
    this.sweptAt = now;
    for (const [key, entry] of this.counts) if (entry.until <= now) this.counts.delete(key);
    for (const [key, until] of this.known) if (until <= now) this.known.delete(key);
  }
}

// Check and count in one step, so replicas (and parallel requests) cannot both pass the last free attempt.
const TAKE_SCRIPT = `
local pair = tonumber(redis.call('GET', KEYS[1]) or '0')
local address = tonumber(redis.call('GET', KEYS[2]) or '0')
local account = tonumber(redis.call('GET', KEYS[3]) or '0')
local known = redis.call('EXISTS', KEYS[4])
if pair >= tonumber(ARGV[1]) or address >= tonumber(ARGV[2]) or (account >= tonumber(ARGV[3]) and known == 0) then
  return {0, pair, address, account, known}
end
for i = 1, 3 do
  redis.call('INCR', KEYS[i])
  if redis.call('PTTL', KEYS[i]) < 0 then redis.call('PEXPIRE', KEYS[i], ARGV[4]) end
end
return {1, pair, address, account, known}`;

const GIVE_BACK_SCRIPT = `
for i = 1, 3 do
  if tonumber(redis.call('GET', KEYS[i]) or '0') > 0 then redis.call('DECR', KEYS[i]) end
end
if ARGV[1] == 'success' then
  redis.call('DEL', KEYS[1])
  redis.call('SET', KEYS[4], '1', 'PX', ARGV[2])
end
return 1`;

/** Counters in Redis, shared by every replica of the deployment. */
export class RedisLoginCounters implements LoginCounters {
  constructor(private readonly redis: Redis) {}

  async take(keys: LoginKeys): Promise<LoginTake> {
    const [allowed, pair, address, account, known] = (await this.redis.eval(
      TAKE_SCRIPT,
      4,
      keys.pair,
      keys.address,
      keys.account,
      keys.known,
      LOGIN_LIMIT_PER_ACCOUNT,
      LOGIN_LIMIT_PER_IP,
      LOGIN_CEILING_PER_ACCOUNT,
      LOGIN_WINDOW_MS,
    )) as number[];
    return { allowed: allowed === 1, pair, address, account, known: known === 1 };
  }

  async giveBack(keys: LoginKeys, outcome: LoginOutcome): Promise<void> {
    await this.redis.eval(
      GIVE_BACK_SCRIPT,
      4,
      keys.pair,
      keys.address,
      keys.account,
      keys.known,
      outcome,
      LOGIN_KNOWN_ADDRESS_MS,
    );
  }
}

function isAllowed(taken: Omit<LoginTake, 'allowed'>): boolean {
  return (
    taken.pair < LOGIN_LIMIT_PER_ACCOUNT &&
    taken.address < LOGIN_LIMIT_PER_IP &&
    (taken.account < LOGIN_CEILING_PER_ACCOUNT || taken.known)
  );
}

/**
 * Throttles password checks (login and password change) by account and client address. A wrong password from
 * one address locks out that address only; the account itself gets an exponential wait, and past a high ceiling
 * only the addresses it signed in from before. With Redis the counts are shared by every replica.
 */
@Injectable()
export class LoginThrottle {
  private readonly logger = new Logger(LoginThrottle.name);
  private readonly memory = new MemoryLoginCounters();
  private readonly shared?: RedisLoginCounters;
  private readonly prefix: string;
  /** Replaced in unit tests. */
  sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

  constructor(@Inject(REDIS_CLIENT) redis: Redis | null, @Inject(APP_CONFIG) config: Pick<AppConfig, 'redisPrefix'>) {
    this.shared = redis ? new RedisLoginCounters(redis) : undefined;
    this.prefix = `${config.redisPrefix}:throttle:`;
  }

  /**
   * Runs `check` (a password comparison that throws UnauthorizedException when wrong) under the limits for
   * `email` from `ip`. Throws 429 when refused; a wrong password stays counted, anything else is given back.
   */
  async attempt<T>(email: string, ip: string | undefined, check: () => Promise<T>): Promise<T> {
    const keys = this.keys(email, ip);
    const taken = await this.counters((c) => c.take(keys));
    if (!taken.allowed) {
      this.logger.warn({ email, client: clientAddressKey(ip), ...taken }, 'login throttled');
      throw new HttpException(TOO_MANY_LOGINS, HttpStatus.TOO_MANY_REQUESTS);
    }
    const wait = taken.known ? 0 : loginBackoffMs(taken.account);
    if (wait > 0) await this.sleep(wait);
    let outcome: LoginOutcome | undefined;
    try {
      const result = await check();
      outcome = 'success';
      return result;
    } catch (error) {
      if (!(error instanceof UnauthorizedException)) outcome = 'void';
      throw error;
    } finally {
      if (outcome) {
        const settled = outcome;
        await this.counters((c) => c.giveBack(keys, settled)).catch((error: unknown) =>
          this.logger.warn(`login throttle: ${(error as Error).message}`),
        );
      }
    }
  }

  private keys(email: string, ip: string | undefined): LoginKeys {
    const account = email.trim().toLowerCase();
    const address = clientAddressKey(ip);
    return {
      pair: `${this.prefix}login-account-address:${account}|${address}`,
      address: `${this.prefix}login-ip:${address}`,
      account: `${this.prefix}login-account:${account}`,
      known: `${this.prefix}login-known:${account}|${address}`,
    };
  }

  /** Redis when configured; this process's counters while Redis cannot answer (limits per replica, not none). */
  private async counters<T>(op: (counters: LoginCounters) => Promise<T>): Promise<T> {
    if (!this.shared) return op(this.memory);
    try {
      return await op(this.shared);
    } catch (error) {
      this.logger.warn(`login throttle falls back to this process: ${(error as Error).message}`);
      return op(this.memory);
    }
  }
}
