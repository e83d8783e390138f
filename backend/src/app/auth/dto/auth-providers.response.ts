export class OidcProviderResponse {
  /** The name the sign-in button shows ("Sign in with …"). */
  name!: string;
}

/** The sign-in methods this deployment offers. */
export class AuthProvidersResponse {
  /** Password sign-in is open to everyone (false in SSO-only mode, where only the break-glass admin may use it). */
  password!: boolean;
  /** Single sign-on through the company's OpenID Connect provider; null when not configured. */
  oidc!: OidcProviderResponse | null;
}
