/** The attributes an account carries (issue 18). Money in the account's currency, as the source gives it. */
export const ACCOUNT_ATTRIBUTES = ['plan', 'arr', 'mrr', 'seats', 'segment', 'renewalDate', 'owner'] as const;
export type AccountAttribute = (typeof ACCOUNT_ATTRIBUTES)[number];

/** Which Zendesk organization field (its key) holds each attribute; null: none does. */
export type AccountFieldMapping = Record<AccountAttribute, string | null>;

/** One account's values, parsed; null where the source gives none (or nothing valid). */
export interface AccountValues {
  plan: string | null;
  arr: number | null;
  mrr: number | null;
  seats: number | null;
  segment: string | null;
  renewalDate: string | null;
  owner: string | null;
}

/** Values to write for one organization. */
export interface AccountInput extends AccountValues {
  organizationId: number;
}

export type AccountSource = 'zendesk' | 'feed';

/** What `account_settings` holds: overrides of the environment's defaults. */
export interface StoredAccountSettings {
  mapping?: Partial<AccountFieldMapping>;
  /** The CSV feed's URL; null removes the environment's ACCOUNT_FEED_URL. */
  feedUrl?: string | null;
}

export interface EffectiveAccountSettings {
  mapping: AccountFieldMapping;
  feedUrl: string | null;
  feedCron: string;
}

/** A segment or plan named like this counts as an enterprise account (case-insensitive). */
export const ENTERPRISE = 'enterprise';
/** Accounts whose renewal falls within this many days count as renewing soon. */
export const RENEWAL_WINDOW_DAYS = 90;
