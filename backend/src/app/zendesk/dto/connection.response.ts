export class ZendeskConnectionResponse {
  /** Credentials are set (ZENDESK_SUBDOMAIN with a token or OAuth token). */
  configured!: boolean;
  /** Zendesk accepted the credentials. */
  ok!: boolean;
  /** The API base URL in use (no credentials). */
  apiUrl!: string | null;
  authMethod!: 'api_token' | 'oauth' | null;
  /** Who the credentials belong to, when ok. */
  userName!: string | null;
  userEmail!: string | null;
  userRole!: string | null;
  /** Why the test failed. */
  error!: string | null;
}
