import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface TestOidcUser {
  password: string;
  email: string;
  emailVerified?: boolean;
  name?: string;
  groups?: string[];
}

/** How the next token response's ID token is spoiled: a claim changed after signing, another audience, expired. */
export type IdTokenFault = 'tamper' | 'audience' | 'expired';

/**
 * A real OpenID Connect provider (`oidc-provider`) in a child process on a random port, with a sign-in page, users
 * and groups, refresh tokens, and test controls (de-provisioning, spoiled ID tokens). See `provider.mjs`.
 */
export class TestOidcProvider {
  private constructor(
    private readonly child: ChildProcess,
    /** The issuer URL (OIDC_ISSUER), e.g. http://127.0.0.1:41234 */
    readonly issuer: string,
  ) {}

  static async start(): Promise<TestOidcProvider> {
    const child = spawn(process.execPath, [join(__dirname, 'provider.mjs')], {
      stdio: ['pipe', 'pipe', 'inherit'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    if (!child.stdout) throw new Error('test OIDC provider: no stdout');
    const lines = createInterface({ input: child.stdout });
    const issuer = await new Promise<string>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`test OIDC provider exited (${code}) before listening`)));
      lines.once('line', (line) => resolve((JSON.parse(line) as { issuer: string }).issuer));
    });
    return new TestOidcProvider(child, issuer);
  }

  /** (Re)configures the one confidential client (client_secret_post, code + refresh_token grants). */
  async setClient(client: { clientId: string; clientSecret: string; redirectUris: string[] }): Promise<void> {
    await this.control('PUT', '/__test/client', client);
  }

  async setUser(login: string, user: TestOidcUser): Promise<void> {
    await this.control('PUT', `/__test/users/${encodeURIComponent(login)}`, user);
  }

  /** Removes the user at the provider: its refresh tokens are refused from now on. */
  async removeUser(login: string): Promise<void> {
    await this.control('DELETE', `/__test/users/${encodeURIComponent(login)}`);
  }

  /** Spoils the ID token of the next token response that carries one. */
  async spoilNextIdToken(fault: IdTokenFault): Promise<void> {
    await this.control('POST', '/__test/next-id-token', { fault });
  }

  /**
   * Signs `login` in at the provider's page the way a browser would, starting from the authorization URL the app
   * redirected to, and returns the URL the provider redirects back to (the app's callback with code and state).
   */
  async signIn(authorizationUrl: string, login: string, password: string): Promise<string> {
    const jar = new Map<string, string>();
    let url = authorizationUrl;
    let form: URLSearchParams | undefined;
    for (let hop = 0; hop < 20; hop++) {
      if (!url.startsWith(this.issuer)) return url;
      const response = await fetch(url, {
        method: form ? 'POST' : 'GET',
        redirect: 'manual',
        headers: {
          cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; '),
          ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        body: form?.toString(),
      });
      for (const cookie of response.headers.getSetCookie()) {
        const [pair] = cookie.split(';');
        const eq = pair.indexOf('=');
        jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
      }
      const location = response.headers.get('location');
      if (location) {
        url = new URL(location, url).href;
        form = undefined;
        continue;
      }
      const html = await response.text();
      const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
      if (response.status !== 200 || !action || form) {
        throw new Error(
          `test OIDC provider: sign-in of ${login} stopped at ${url} (${response.status}): ${html.slice(0, 300)}`,
        );
      }
      url = new URL(action.replace(/&amp;/g, '&'), url).href;
      form = new URLSearchParams({ login, password });
    }
    throw new Error('test OIDC provider: too many redirects');
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdin?.end();
    this.child.kill();
    await exited;
  }

  private async control(method: string, path: string, body?: unknown): Promise<void> {
    const response = await fetch(`${this.issuer}${path}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!response.ok)
      throw new Error(`test OIDC provider ${method} ${path}: ${response.status} ${await response.text()}`);
  }
}
