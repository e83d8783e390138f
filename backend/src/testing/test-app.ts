import { mkdtempSync, rmSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { ANTHROPIC_STUB_API_KEY, AnthropicStub } from '@pim/testing';
import { createApp, RunningApp } from '@app/bootstrap';
import { loadConfig } from '@app/config/app-config';
import { createTestDatabase, TestDatabase } from './test-database';

export const ADMIN = { email: 'admin@test.local', password: 'admin-password-1' };

export interface TestApp {
  /** Base URL of the listening server, e.g. http://127.0.0.1:41234 */
  url: string;
  running: RunningApp;
  database?: TestDatabase;
  dataDir: string;
  close(): Promise<void>;
}

/**
 * Starts the real application on a random port: against a fresh database on the test PostgreSQL server by
 * default, or the embedded PGlite with `{ embedded: true }`. Environment overrides go through the same
 * validated schema as production.
 */
export async function startTestApp(
  options: {
    env?: Record<string, string | undefined>;
    embedded?: boolean;
    dataDir?: string;
    consoleDir?: string;
    /** A database another test app already uses (two replicas); the caller drops it. */
    database?: TestDatabase;
  } = {},
): Promise<TestApp> {
  const shared = options.database;
  const database = shared ?? (options.embedded ? undefined : await createTestDatabase());
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'pim-test-'));
  try {
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATA_DIR: dataDir,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      DEMO_DATA: 'false',
      ...(database ? { DATABASE_URL: database.url } : {}),
      ...options.env,
    });
    const running = await createApp(config, { consoleDir: options.consoleDir });
    await running.app.listen(0, '127.0.0.1');
    const { port } = running.app.getHttpServer().address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}`,
      running,
      database,
      dataDir,
      async close() {
        await running.close();
        if (!shared) await database?.drop();
        if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    if (!shared) await database?.drop();
    throw error;
  }
}

/** Starts the Anthropic `stub`; the environment of an app that analyses with Claude there (`env` adds the model, …). */
async function claudeStubEnv(stub: AnthropicStub, env: Record<string, string>): Promise<Record<string, string>> {
  await stub.start();
  return { ANTHROPIC_API_KEY: ANTHROPIC_STUB_API_KEY, ANTHROPIC_BASE_URL: stub.url, ...env };
}

/** Starts the Anthropic `stub`, then an app that analyses with Claude there; `env` adds the model, mode, … */
export async function startWithClaudeStub(stub: AnthropicStub, env: Record<string, string>): Promise<TestApp> {
  return startTestApp({ env: await claudeStubEnv(stub, env) });
}

/** `startWithClaudeStub`, as a session (`openSession`): the admin signed in and a client on the database. */
export async function openSessionWithClaudeStub(
  stub: AnthropicStub,
  env: Record<string, string>,
): Promise<TestSession> {
  return openSession({ env: await claudeStubEnv(stub, env) });
}

/** Two apps (replicas) on one database, as two processes of a deployment: `close()` stops both and drops it. */
export interface ReplicaPair {
  database: TestDatabase;
  a: TestApp;
  b: TestApp;
  close(): Promise<void>;
}

/** Starts two replicas, each with `env`, on a fresh database (dropped again if either fails to start). */
export async function startReplicaPair(env: Record<string, string>): Promise<ReplicaPair> {
  const database = await createTestDatabase();
  const apps: TestApp[] = [];
  const close = async () => {
    for (const app of apps) await app.close();
    await database.drop();
  };
  try {
    for (let i = 0; i < 2; i++) apps.push(await startTestApp({ database, env }));
  } catch (error) {
    await close();
    throw error;
  }
  const [a, b] = apps as [TestApp, TestApp];
  return { database, a, b, close };
}

/** A small fetch wrapper for JSON APIs. */
export async function api(
  base: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  if (options.body !== undefined || options.rawBody !== undefined) headers['content-type'] = 'application/json';
  const send = () =>
    fetch(`${base}${path}`, {
      method,
      headers,
      body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
  // A GET is sent again once when a kept-alive socket was reset under it (the server closed it idle as the request
  // left; seen on the loaded CI machine). Other methods are not retried: a test must see what one request does.
  const response = await send().catch((error: { cause?: { code?: string } }) => {
    if (method !== 'GET' || error?.cause?.code !== 'ECONNRESET') throw error;
    return send();
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  return { status: response.status, body, headers: response.headers };
}

export async function login(base: string, email = ADMIN.email, password = ADMIN.password): Promise<string> {
  const res = await api(base, 'POST', '/api/auth/login', { body: { email, password } });
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.accessToken as string;
}

/** Creates `{role}@test.local` with `role` (password `{role}-password-1` unless given) and signs it in: its token. */
export async function signInNewUser(
  base: string,
  adminToken: string,
  role: string,
  password = `${role}-password-1`,
): Promise<string> {
  const email = `${role}@test.local`;
  const res = await api(base, 'POST', '/api/users', { token: adminToken, body: { email, role, password } });
  if (res.status !== 201) throw new Error(`create ${email}: ${res.status} ${JSON.stringify(res.body)}`);
  return login(base, email, password);
}

/** A test app with the admin signed in and a client on its database: what most end-to-end specs start with. */
export interface TestSession {
  t: TestApp;
  token: string;
  db: Client;
}

/** A client connected to the database at `url` (the caller ends it). */
export async function connectClient(url: string): Promise<Client> {
  const db = new Client({ connectionString: url });
  await db.connect();
  return db;
}

/** Starts an app (`options` as `startTestApp`), signs the admin in and connects a client to its database. */
export async function openSession(options: Parameters<typeof startTestApp>[0] = {}): Promise<TestSession> {
  const t = await startTestApp(options);
  const token = await login(t.url);
  const db = await connectClient(t.database!.url);
  return { t, token, db };
}

/**
 * Ends what `openSession` opened (either may be unset when a `beforeAll` failed), then stops what the spec started
 * around it (simulators, stubs, providers), in order.
 */
export async function closeSession(
  t: TestApp | undefined,
  db: Client | undefined,
  ...after: Array<{ stop(): Promise<unknown> } | { close(): Promise<unknown> } | undefined>
): Promise<void> {
  await db?.end();
  await t?.close();
  for (const other of after) {
    if (other) await ('stop' in other ? other.stop() : other.close());
  }
}

/** `count(sql, params)`: the number in column `n` of the first row (`SELECT count(*) AS n ...`). */
export const counter =
  (db: () => Client) =>
  async (sql: string, params: unknown[] = []): Promise<number> =>
    Number((await db().query(sql, params)).rows[0].n);
