import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, startTestApp, TestApp } from '../testing/test-app';

/** One URL: the console at `/` with deep links falling back to index.html; `/api/*` and `/health` stay the API's. */
describe('console serving, security headers and CORS', () => {
  const consoleDir = mkdtempSync(join(tmpdir(), 'pim-console-'));
  let t: TestApp;

  beforeAll(async () => {
    mkdirSync(consoleDir, { recursive: true });
    writeFileSync(join(consoleDir, 'index.html'), '<!doctype html><title>console</title><pim-root></pim-root>');
    writeFileSync(join(consoleDir, 'main-ABC123.js'), 'console.log(1)');
    writeFileSync(join(consoleDir, 'chunk-BIG.js'), `export const data = ${JSON.stringify('x'.repeat(20_000))};`);
    t = await startTestApp({ consoleDir, env: { FRONTEND_URL: 'https://console.example.com' } });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(consoleDir, { recursive: true, force: true });
  });

  it('serves index.html at / and for deep links, never cached', async () => {
    for (const path of ['/', '/clusters/42', '/settings/taxonomy?tab=2']) {
      const res = await fetch(`${t.url}${path}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<pim-root>');
      expect(res.headers.get('cache-control')).toBe('no-cache');
    }
    const asset = await fetch(`${t.url}/main-ABC123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
  });

  it('compresses bundles (gzip, brotli) for clients that accept it, and leaves small files and other clients alone', async () => {
    const get = (path: string, encoding?: string) =>
      new Promise<{ encoding: string | undefined; bytes: number }>((resolve, reject) => {
        // node:http, not fetch: fetch always asks for gzip and decodes it silently.
        const req = request(`${t.url}${path}`, { headers: encoding ? { 'accept-encoding': encoding } : {} }, (res) => {
          let bytes = 0;
          res.on('data', (chunk: Buffer) => (bytes += chunk.length));
          res.on('end', () => resolve({ encoding: res.headers['content-encoding'], bytes }));
        });
        req.on('error', reject);
        req.end();
      });
    const gz = await get('/chunk-BIG.js', 'gzip');
    expect(gz.encoding).toBe('gzip');
    expect(gz.bytes).toBeLessThan(2_000);
    expect((await get('/chunk-BIG.js', 'gzip, deflate, br')).encoding).toBe('br'); // what Chromium asks for
    const plain = await get('/chunk-BIG.js');
    expect(plain.encoding).toBeUndefined();
    expect(plain.bytes).toBeGreaterThan(20_000);
    expect((await get('/main-ABC123.js', 'gzip')).encoding).toBeUndefined(); // under the 1 KB threshold
  });

  it('keeps /api and /health for the API: JSON 404 for unknown API paths, never the console', async () => {
    const unknown = await api(t.url, 'GET', '/api/does-not-exist');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ statusCode: 404 });
    expect((await api(t.url, 'GET', '/health')).body).toMatchObject({ db: 'up' });
    const docs = await fetch(`${t.url}/api/docs-json`);
    expect((await docs.json()).info.title).toBe('Product Issue Miner API');
  });

  it('sends security headers', async () => {
    const res = await fetch(`${t.url}/`);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('allows CORS only from FRONTEND_URL', async () => {
    const allowed = await fetch(`${t.url}/health`, { headers: { origin: 'https://console.example.com' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://console.example.com');
    const other = await fetch(`${t.url}/health`, { headers: { origin: 'https://evil.example.com' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('keeps malformed JSON a 400 while the console is served', async () => {
    const res = await api(t.url, 'POST', '/api/auth/login', { rawBody: '{"email":' });
    expect(res.status).toBe(400);
  });

  it('rejects bodies over the size limit with 413, not 500', async () => {
    const res = await api(t.url, 'POST', '/api/auth/login', {
      rawBody: JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(3_000_000) }),
    });
    expect(res.status).toBe(413);
  });
});
