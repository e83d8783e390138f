/** Injection token of the ZendeskClient, or null when Zendesk is not configured. */
export const ZENDESK_CLIENT = Symbol('ZENDESK_CLIENT');
