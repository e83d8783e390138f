/** What the redactor can mask before text leaves for the API (each switched in the taxonomy settings). */
export const REDACTION_KINDS = ['email', 'phone', 'card', 'iban', 'ip', 'url'] as const;
export type RedactionKind = (typeof REDACTION_KINDS)[number];
