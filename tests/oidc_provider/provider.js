// A real OpenID Connect provider (the `oidc-provider` package) for Soundoff's
// sign-in tests, on loopback only. It is started by the `oidc_provider`
// fixture in tests/conftest.py:
//
//     node provider.js CONFIG.json
//
// CONFIG.json holds {"client": {"client_id", "client_secret",
// "redirect_uris"}, "accounts": {"<sub>": {"email", "email_verified",
// "name"}}}. The accounts are read again at every look-up, so a test can add
// an account or change its e-mail address while the provider runs.
//
// It listens on a free loopback port, which is only known once listening
// and is part of the issuer, so the provider is made then; the first line
// on standard output is its issuer.
//
// The log-in and consent pages are this file's own: a form that names the
// account to sign in as, and Allow / Deny buttons, so that a browser test
// can both sign in and refuse consent. PKCE is required of every client.

import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';

import Provider from 'oidc-provider';

const configPath = process.argv[2];
const config = JSON.parse(fs.readFileSync(configPath, 'utf8'));

function accounts() {
  return JSON.parse(fs.readFileSync(configPath, 'utf8')).accounts;
}

const server = http.createServer();
await new Promise((resolve) => { server.listen(0, '127.0.0.1', resolve); });
const issuer = `http://127.0.0.1:${server.address().port}`;

const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test', alg: 'RS256', use: 'sig' };

const provider = new Provider(issuer, {
  clients: [
    {
      ...config.client,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  jwks: { keys: [signingKey] },
  cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'preferred_username'],
  },
  features: { devInteractions: { enabled: false } },
  pkce: { required: () => true },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    const account = accounts()[sub];
    if (!account) {
      return undefined;
    }
    return { accountId: sub, claims: async () => ({ sub, ...account }) };
  },
  async renderError(ctx, out) {
    ctx.type = 'text/plain';
    ctx.body = `${out.error}: ${out.error_description}`;
  },
});

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title, body) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title></head>
<body><h1>${escape(title)}</h1>${body}</body></html>`;
}

async function form(req) {
  const chunks = [];
  for await (const chunk of req) {
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) {
    res.writeHead(400).end('This is not the interaction in progress.');
    return;
  }
  const deny = `<form method="post" action="/interaction/${uid}/deny"><button>Deny</button></form>`;
  if (req.method === 'GET' && details.prompt.name === 'login') {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(page('Test provider: sign in', `
<form method="post" action="/interaction/${uid}/login">
  <label>Account <input name="account" autocomplete="off"></label>
  <button>Sign in</button>
</form>${deny}`));
    return;
  }
  if (req.method === 'GET' && details.prompt.name === 'consent') {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(page(`Test provider: share your account with ${details.params.client_id}?`, `
<form method="post" action="/interaction/${uid}/consent"><button>Allow</button></form>${deny}`));
    return;
  }
  if (req.method === 'POST' && action === 'login') {
    const account = (await form(req)).get('account') || '';
    if (!Object.hasOwn(accounts(), account)) {
      res.writeHead(400, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(page('Test provider: no such account', `<p>${escape(account)}</p>`));
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: account } });
    return;
  }
  if (req.method === 'POST' && action === 'consent') {
    const { prompt, params, session } = details;
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    if (prompt.details.missingOIDCScope) {
      grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
    }
    if (prompt.details.missingOIDCClaims) {
      grant.addOIDCClaims(prompt.details.missingOIDCClaims);
    }
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } });
    return;
  }
  if (req.method === 'POST' && action === 'deny') {
    await provider.interactionFinished(
      req,
      res,
      { error: 'access_denied', error_description: 'The account holder declined.' },
      { mergeWithLastSubmission: false },
    );
    return;
  }
  res.writeHead(405).end();
}

const handleProtocol = provider.callback();
const interactionPath = /^\/interaction\/([\w-]+)(?:\/(login|consent|deny))?$/;

server.on('request', (req, res) => {
  const match = interactionPath.exec(new URL(req.url, issuer).pathname);
  if (!match) {
    handleProtocol(req, res);
    return;
  }
  interaction(req, res, match[1], match[2]).catch((error) => {
    res.writeHead(400, { 'Content-Type': 'text/plain' }).end(String(error));
  });
});

process.stdout.write(`${issuer}\n`);
