// A real OpenID Provider for the single sign-on tests: the certified `oidc-provider` package
// (installed by `cargo xtask test`), with its development login and consent pages. Any login
// name signs in as the account of that e-mail address.
//
// node provider.mjs PORT CLIENT_ID CLIENT_SECRET REDIRECT_URI
// The module's path comes in OIDC_PROVIDER_MODULE (ES modules do not search NODE_PATH).
import { pathToFileURL } from 'node:url';

const [port, clientId, clientSecret, redirectUri] = process.argv.slice(2);
const { default: Provider } = await import(pathToFileURL(process.env.OIDC_PROVIDER_MODULE).href);

const names = {};
const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: [redirectUri],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  pkce: { required: () => true },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['campusm-support-test-idp'] },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        const local = id.split('@')[0];
        const name = names[id] || local.split(/[._-]/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ');
        return { sub: id, email: id, email_verified: true, name };
      },
    };
  },
});
provider.listen(Number(port), '127.0.0.1', () => {
  console.log(`oidc-provider listening on http://127.0.0.1:${port}`);
});
