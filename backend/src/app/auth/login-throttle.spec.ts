import { HttpException, UnauthorizedException } from '@nestjs/common';
import Redis from 'ioredis';
import {
  LOGIN_BACKOFF_AFTER,
  LOGIN_BACKOFF_BASE_MS,
  LOGIN_BACKOFF_MAX_MS,
  LOGIN_CEILING_PER_ACCOUNT,
  LOGIN_LIMIT_PER_ACCOUNT,
  LOGIN_LIMIT_PER_IP,
  LOGIN_WINDOW_MS,
} from './auth.constants';
import { clientAddressKey, loginBackoffMs, LoginThrottle, MemoryLoginCounters } from './login-throttle';
import { dropPrefix, REDIS_URL, testPrefix } from '../../testing/test-redis';

const wrong = () => Promise.reject(new UnauthorizedException('Invalid email or password'));
const right = () => Promise.resolve('signed in');

describe('loginBackoffMs and clientAddressKey', () => {
  it('waits nothing below the threshold, then doubles every 10 failures up to the cap', () => {
    expect(loginBackoffMs(LOGIN_BACKOFF_AFTER - 1)).toBe(0);
    expect(loginBackoffMs(LOGIN_BACKOFF_AFTER)).toBe(LOGIN_BACKOFF_BASE_MS);
    expect(loginBackoffMs(LOGIN_BACKOFF_AFTER + 10)).toBe(2 * LOGIN_BACKOFF_BASE_MS);
    expect(loginBackoffMs(LOGIN_BACKOFF_AFTER + 20)).toBe(4 * LOGIN_BACKOFF_BASE_MS);
    expect(loginBackoffMs(LOGIN_CEILING_PER_ACCOUNT)).toBe(LOGIN_BACKOFF_MAX_MS);
    expect(loginBackoffMs(1e9)).toBe(LOGIN_BACKOFF_MAX_MS);
  });

  it('counts IPv4 as it is and IPv6 by its /64', () => {
    expect(clientAddressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(clientAddressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientAddressKey('2001:db8:0:1:aaaa::1')).toBe('2001:db8:0:1::/64');
    expect(clientAddressKey('2001:0db8:0000:0001:ffff:ffff:ffff:ffff')).toBe('2001:db8:0:1::/64');
    expect(clientAddressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientAddressKey('::1')).toBe('0:0:0:0::/64');
    expect(clientAddressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(clientAddressKey(undefined)).toBe('unknown');
  });
});

describe.each(['memory', 'redis'] as const)('LoginThrottle with %s counters', (kind) => {
  const prefix = testPrefix();
  let redis: Redis | null = null;
  let throttle: LoginThrottle;
  let waits: number[];

  beforeAll(() => {
    if (kind === 'redis') redis = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    if (redis) await dropPrefix(prefix, redis);
    redis?.disconnect();
  });
  beforeEach(async () => {
    if (redis) await dropPrefix(prefix, redis);
    throttle = new LoginThrottle(redis, { redisPrefix: prefix });
    waits = [];
    throttle.sleep = async (ms) => void waits.push(ms);
  });

  const statusOf = (promise: Promise<unknown>) =>
    promise.then(
      () => 200,
      (error: unknown) => (error instanceof HttpException ? error.getStatus() : 500),
    );
  const failFrom = async (email: string, ip: string, times: number) => {
    for (let i = 0; i < times; i++) expect(await statusOf(throttle.attempt(email, ip, wrong))).toBe(401);
  };

  it('refuses an address after its failures on the account, not the owner elsewhere', async () => {
    await failFrom('owner@x.test', '203.0.113.1', LOGIN_LIMIT_PER_ACCOUNT);
    expect(await statusOf(throttle.attempt('owner@x.test', '203.0.113.1', right))).toBe(429);
    expect(await statusOf(throttle.attempt('OWNER@x.test ', '198.51.100.1', right))).toBe(200);
    expect(waits.at(-1)).toBe(LOGIN_BACKOFF_BASE_MS);
  });

  it('refuses an address after its failures on any accounts', async () => {
    for (let i = 0; i < LOGIN_LIMIT_PER_IP; i++) await failFrom(`u${i}@x.test`, '203.0.113.2', 1);
    expect(await statusOf(throttle.attempt('new@x.test', '203.0.113.2', right))).toBe(429);
    expect(await statusOf(throttle.attempt('new@x.test', '198.51.100.2', right))).toBe(200);
    expect(waits).toEqual([]);
  });

  it('slows a sprayed account exponentially, then lets only addresses it signed in from before try', async () => {
    expect(await statusOf(throttle.attempt('sprayed@x.test', '192.0.2.200', right))).toBe(200);
    let sprayed = 0;
    for (let host = 1; sprayed < LOGIN_CEILING_PER_ACCOUNT; host++)
      for (let i = 0; i < LOGIN_LIMIT_PER_ACCOUNT && sprayed < LOGIN_CEILING_PER_ACCOUNT; i++, sprayed++)
        expect(await statusOf(throttle.attempt('sprayed@x.test', `10.0.${host}.1`, wrong))).toBe(401);
    // Every attempt past the threshold waited, longer and longer, never past the cap.
    expect(waits).toHaveLength(LOGIN_CEILING_PER_ACCOUNT - LOGIN_BACKOFF_AFTER);
    expect(waits[0]).toBe(LOGIN_BACKOFF_BASE_MS);
    expect(waits.at(-1)).toBe(LOGIN_BACKOFF_MAX_MS);
    expect(waits).toEqual([...waits].sort((a, b) => a - b));

    // Past the ceiling: a new address is refused, the address the owner used before still gets in, unslowed.
    expect(await statusOf(throttle.attempt('sprayed@x.test', '198.51.100.3', right))).toBe(429);
    waits = [];
    expect(await statusOf(throttle.attempt('sprayed@x.test', '192.0.2.200', right))).toBe(200);
    expect(waits).toEqual([]);
    // Another account is untouched.
    expect(await statusOf(throttle.attempt('other@x.test', '198.51.100.3', right))).toBe(200);
  });

  it('counts parallel guesses before they are checked, so a burst cannot overshoot the limit', async () => {
    const slowWrong = () =>
      new Promise<never>((_, reject) => setTimeout(() => reject(new UnauthorizedException()), 20));
    const statuses = await Promise.all(
      Array.from({ length: LOGIN_LIMIT_PER_ACCOUNT + 10 }, () =>
        statusOf(throttle.attempt('burst@x.test', '203.0.113.3', slowWrong)),
      ),
    );
    expect(statuses.filter((s) => s === 401)).toHaveLength(LOGIN_LIMIT_PER_ACCOUNT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
  });

  it('gives back attempts that succeeded or failed for another reason', async () => {
    await failFrom('typo@x.test', '203.0.113.4', LOGIN_LIMIT_PER_ACCOUNT - 1);
    expect(await statusOf(throttle.attempt('typo@x.test', '203.0.113.4', right))).toBe(200);
    // A success starts the address's count on the account again.
    await failFrom('typo@x.test', '203.0.113.4', LOGIN_LIMIT_PER_ACCOUNT - 1);
    for (let i = 0; i < 5; i++)
      expect(
        await statusOf(throttle.attempt('typo@x.test', '203.0.113.4', () => Promise.reject(new Error('db down')))),
      ).toBe(500);
    await failFrom('typo@x.test', '203.0.113.4', 1);
    expect(await statusOf(throttle.attempt('typo@x.test', '203.0.113.4', right))).toBe(429);
  });
});

describe('MemoryLoginCounters', () => {
  it('forgets failures when their window ends', async () => {
    let now = 1_000_000;
    const counters = new MemoryLoginCounters(() => now);
    const keys = { pair: 'p', address: 'a', account: 'c', known: 'k' };
    for (let i = 0; i < LOGIN_LIMIT_PER_ACCOUNT; i++) expect((await counters.take(keys)).allowed).toBe(true);
    expect((await counters.take(keys)).allowed).toBe(false);
    now += LOGIN_WINDOW_MS;
    expect(await counters.take(keys)).toEqual({ allowed: true, pair: 0, address: 0, account: 0, known: false });
  });
});
