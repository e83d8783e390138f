/** The issue trackers a cluster can be filed in. */
export const PROVIDERS = ['jira', 'linear'] as const;
export type Provider = (typeof PROVIDERS)[number];

/** A tracker's status, normalised: Jira's status category, Linear's state type. */
export type StatusCategory = 'todo' | 'in_progress' | 'done' | 'canceled';

/** One issue in a tracker, as read back. */
export interface TrackerIssue {
  key: string;
  url: string;
  /** The tracker's own status name, e.g. "In Progress". */
  status: string;
  category: StatusCategory;
  /** When the tracker says it was done (Jira's resolution date, Linear's completedAt), when it says. */
  doneAt?: Date | null;
}

/** What a cluster is filed with. */
export interface IssueDraft {
  title: string;
  /** Paragraphs of plain text. */
  intro: string[];
  /** Verbatim customer quotes. */
  quotes: string[];
  /** Links: label and URL. */
  links: Array<{ label: string; url: string }>;
}

/** A client of one tracker: files an issue, reads one back (null when it does not exist). */
export interface TrackerClient {
  readonly provider: Provider;
  create(draft: IssueDraft): Promise<TrackerIssue>;
  read(key: string): Promise<TrackerIssue | null>;
}
