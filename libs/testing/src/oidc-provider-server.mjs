// A real OpenID provider for tests (oidc-provider), run as a child process:
//
//   OIDC_CLIENT_ID=… OIDC_CLIENT_SECRET=… OIDC_REDIRECT_URI=… node libs/testing/src/oidc-provider-server.mjs
//
// It listens on a free port of 127.0.0.1 and prints `OIDC_PROVIDER_URL=http://127.0.0.1:<port>`
// (its issuer) once it answers. One client is registered (client_secret_basic, the redirect
// URI given). People are kept in memory: `PUT /test/people/<sub>` with a JSON body of their
// claims ({ email, groups }) adds or changes one. Signing in is a form at /interaction/<uid>
// asking for the sub ("Username"); consent is taken as given for this one client.
import { createServer } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

const { OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI } = process.env;
if (!OIDC_CLIENT_ID || !OIDC_CLIENT_SECRET || !OIDC_REDIRECT_URI) {
  console.error('OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and OIDC_REDIRECT_URI are required');
  process.exit(64);
}

/** sub → claims */
const people = new Map();

let handle = () => {};
const server = createServer((req, res) => handle(req, res));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const signingKey = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: OIDC_CLIENT_ID,
      client_secret: OIDC_CLIENT_SECRET,
      redirect_uris: [OIDC_REDIRECT_URI],
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  jwks: { keys: [signingKey] },
  cookies: { keys: ['a test provider’s cookie key, nothing secret'] },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
    groups: ['groups'],
  },
  features: { devInteractions: { enabled: false } },
  pkce: { required: () => true },
  async findAccount(_ctx, sub) {
    const claims = people.get(sub);
    if (!claims) return undefined;
    return { accountId: sub, claims: async () => ({ sub, ...claims }) };
  },
  async loadExistingGrant(ctx) {
    const grantId =
      ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile groups');
    await grant.save();
    return grant;
  },
});
provider.on('server_error', (_ctx, error) => console.error(error));

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function loginForm(uid, problem = '') {
  return `<!DOCTYPE html><html lang="en"><head><title>Test identity provider</title></head><body>
<main><h1>Test identity provider</h1>${problem ? `<p role="alert">${escape(problem)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}">
<label for="login">Username</label> <input id="login" name="login" autocomplete="username">
<button type="submit">Continue</button></form></main></body></html>`;
}

async function readBody(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return body;
}

async function interaction(req, res, uid) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error('interaction mismatch');
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    return res.end(loginForm(uid));
  }
  const login = new URLSearchParams(await readBody(req)).get('login') ?? '';
  if (!people.has(login)) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    return res.end(loginForm(uid, `No such person: ${login}`));
  }
  return provider.interactionFinished(
    req,
    res,
    { login: { accountId: login } },
    { mergeWithLastSubmission: false },
  );
}

const providerCallback = provider.callback();
handle = (req, res) => {
  const url = new URL(req.url, issuer);
  const person = /^\/test\/people\/([^/]+)$/.exec(url.pathname);
  const interactionPath = /^\/interaction\/([^/]+)$/.exec(url.pathname);
  const answer = async () => {
    if (person && req.method === 'PUT') {
      people.set(decodeURIComponent(person[1]), JSON.parse(await readBody(req)));
      res.writeHead(204);
      return res.end();
    }
    if (interactionPath) return interaction(req, res, interactionPath[1]);
    return providerCallback(req, res);
  };
  answer().catch((error) => {
    console.error(error);
    if (!res.headersSent) res.writeHead(500);
    res.end();
  });
};

console.log(`OIDC_PROVIDER_URL=${issuer}`);
