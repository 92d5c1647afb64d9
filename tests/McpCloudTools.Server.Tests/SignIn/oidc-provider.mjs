// A real OpenID provider for the sign-in tests: the certified npm package oidc-provider 9.x on a loopback port.
// Clients use the client-credentials grant; each client stands for one person (its groups and username go into
// the token as claims), and access tokens are JWTs for the requested resource (RFC 8707).
// Usage: node oidc-provider.mjs   with OIDC_PORT, OIDC_CLIENTS (JSON: [{id, secret, username, groups}]),
// OIDC_TTL (seconds, default 600), OIDC_JWKS (its private signing keys, a JWKS document). Prints "ready <issuer>" on stdout once it listens; stops on stdin close.
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT);
const clients = JSON.parse(process.env.OIDC_CLIENTS);
const ttl = Number(process.env.OIDC_TTL || 600);
const issuer = `http://127.0.0.1:${port}`;
const byId = Object.fromEntries(clients.map(c => [c.id, c]));

const provider = new Provider(issuer, {
  jwks: JSON.parse(process.env.OIDC_JWKS),
  clients: clients.map(c => ({
    client_id: c.id,
    client_secret: c.secret,
    grant_types: ['client_credentials'],
    redirect_uris: [],
    response_types: [],
    scope: 'mcp.read mcp.write',
  })),
  scopes: ['mcp.read', 'mcp.write'],
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      useGrantedResource: () => true,
      getResourceServerInfo: (ctx, resource) => ({
        scope: 'mcp.read mcp.write',
        audience: resource,
        accessTokenFormat: 'jwt',
        accessTokenTTL: ttl,
        jwt: { sign: { alg: 'RS256' } },
      }),
    },
  },
  extraTokenClaims: async (ctx, token) => {
    const c = byId[token.clientId];
    return c ? { groups: c.groups, preferred_username: c.username } : {};
  },
});
// How many requests the provider served: the tests check that the server does not call it per request.
let served = 0;
provider.use(async (ctx, next) => {
  if (ctx.path === '/_test/requests') { ctx.body = { served }; return; }
  served++;
  await next();
});
provider.proxy = false;
const server = provider.listen(port, '127.0.0.1', () => console.log(`ready ${issuer}`));
process.stdin.on('end', () => { server.close(); process.exit(0); });
process.stdin.resume();
