// A real OpenID Connect provider (the `oidc-provider` package, ESM-only, hence this script run in a child process)
// for tests: users with passwords and groups, a sign-in page, refresh tokens, and test controls under /__test/.
//
//   node provider.mjs            → prints {"issuer":"http://127.0.0.1:PORT"} on its first stdout line
//
// Test controls (JSON bodies):
//   PUT    /__test/client        {clientId, clientSecret, redirectUris}   (re)configures the one client
//   PUT    /__test/users/:login  {password, email, emailVerified?, name?, groups?}
//   DELETE /__test/users/:login  de-provisions: its refresh tokens are refused from now on
//   POST   /__test/next-id-token {fault: "tamper"|"audience"|"expired"}  spoils the next token response's ID token
//          (tamper: a claim changed after signing; audience/expired: re-signed with the provider's own key)
import { createServer } from 'node:http';
import { createSign, generateKeyPairSync, randomUUID } from 'node:crypto';
import Provider from 'oidc-provider';

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' };
const users = new Map();
let provider;
let nextFault;

const server = createServer((req, res) => {
  handle(req, res).catch((error) => {
    process.stderr.write(`test oidc provider: ${error.stack ?? error}\n`);
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
    res.end('internal error');
  });
});
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  server.issuer = issuer;
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();

async function handle(req, res) {
  const url = new URL(req.url, server.issuer);
  if (url.pathname.startsWith('/__test/')) return control(req, res, url);
  if (url.pathname === '/favicon.ico') return send(res, 204);
  if (!provider) return send(res, 503, { error: 'no client configured yet' });
  if (url.pathname.startsWith('/interaction/')) return interaction(req, res, url);
  if (nextFault && req.method === 'POST' && url.pathname === '/token') spoilIdToken(res, nextFault);
  return provider.callback()(req, res);
}

async function control(req, res, url) {
  const body = req.method === 'GET' || req.method === 'DELETE' ? {} : JSON.parse((await read(req)) || '{}');
  const userPath = /^\/__test\/users\/([^/]+)$/.exec(url.pathname);
  if (req.method === 'PUT' && url.pathname === '/__test/client') {
    provider = buildProvider(body);
    return send(res, 204);
  }
  if (req.method === 'PUT' && userPath) {
    users.set(decodeURIComponent(userPath[1]), body);
    return send(res, 204);
  }
  if (req.method === 'DELETE' && userPath) {
    users.delete(decodeURIComponent(userPath[1]));
    return send(res, 204);
  }
  if (req.method === 'POST' && url.pathname === '/__test/next-id-token') {
    nextFault = body.fault;
    return send(res, 204);
  }
  return send(res, 404, { error: 'unknown test control' });
}

function buildProvider({ clientId, clientSecret, redirectUris }) {
  const instance = new Provider(server.issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: redirectUris,
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: ['test-oidc-provider-cookie-key'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified', 'groups'], profile: ['name'] },
    scopes: ['openid', 'offline_access', 'email', 'profile'],
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    conformIdTokenClaims: false,
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    // The test client is first-party: consent is implied, every requested scope and claim granted.
    loadExistingGrant: async (ctx) => {
      const existing = ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (existing) {
        const found = await ctx.oidc.provider.Grant.find(existing);
        if (found) return found;
      }
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope(ctx.oidc.requestParamScopes ? [...ctx.oidc.requestParamScopes].join(' ') : 'openid');
      grant.addOIDCClaims(['sub', 'email', 'email_verified', 'groups', 'name']);
      await grant.save();
      return grant;
    },
    findAccount: async (_ctx, id) => {
      const user = users.get(id);
      if (!user) return undefined;
      return {
        accountId: id,
        claims: async () => ({
          sub: id,
          email: user.email,
          email_verified: user.emailVerified ?? true,
          name: user.name ?? id,
          ...(user.groups ? { groups: user.groups } : {}),
        }),
      };
    },
    ttl: {
      AccessToken: 300,
      AuthorizationCode: 120,
      IdToken: 300,
      RefreshToken: 86400,
      Grant: 86400,
      Session: 3600,
      Interaction: 600,
    },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = `<!doctype html><title>Error</title><h1>${escape(out.error)}</h1><p>${escape(out.error_description ?? '')}</p>`;
    },
  });
  return instance;
}

/** The sign-in page: login and password; a wrong password shows the page again with an error. */
async function interaction(req, res, url) {
  const details = await provider.interactionDetails(req, res);
  if (req.method === 'GET') return page(res, url.pathname, details.params.login_hint ?? '', '');
  const form = new URLSearchParams(await read(req));
  const login = form.get('login') ?? '';
  const user = users.get(login);
  if (!user || user.password !== form.get('password')) return page(res, url.pathname, login, 'Wrong login or password');
  return provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
}

function page(res, action, login, error) {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><html><head><title>Test identity provider</title></head><body>
<h1>Test identity provider</h1>${error ? `<p class="error">${escape(error)}</p>` : ''}
<form method="post" action="${escape(action)}">
  <label>Login <input name="login" id="login" value="${escape(login)}" autofocus></label>
  <label>Password <input name="password" id="password" type="password"></label>
  <button type="submit" id="sign-in">Sign in</button>
</form></body></html>`);
}

/** Rewrites the ID token of the response about to be sent (the token endpoint's JSON), once. */
function spoilIdToken(res, fault) {
  const end = res.end.bind(res);
  res.end = (chunk, ...rest) => {
    if (!chunk || res.statusCode !== 200) return end(chunk, ...rest);
    const body = JSON.parse(Buffer.from(chunk).toString('utf8'));
    if (!body.id_token) return end(chunk, ...rest);
    nextFault = undefined;
    const [header, payload, signature] = body.id_token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (fault === 'tamper') {
      claims.email = 'mallory@evil.test';
      body.id_token = `${header}.${b64(claims)}.${signature}`;
    } else {
      const now = Math.floor(Date.now() / 1000);
      if (fault === 'audience') claims.aud = 'another-client';
      if (fault === 'expired') Object.assign(claims, { iat: now - 7200, exp: now - 3600 });
      const signingInput = `${header}.${b64(claims)}`;
      const signed = createSign('RSA-SHA256').update(signingInput).sign(privateKey).toString('base64url');
      body.id_token = `${signingInput}.${signed}`;
    }
    const text = JSON.stringify(body);
    res.setHeader('content-length', Buffer.byteLength(text));
    return end(text);
  };
}

const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
const escape = (text) =>
  String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

function send(res, status, body) {
  res.writeHead(status, body ? { 'content-type': 'application/json' } : {});
  res.end(body ? JSON.stringify(body) : undefined);
}

function read(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
