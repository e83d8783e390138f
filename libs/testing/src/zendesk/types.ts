/**
 * Zendesk Support API payload shapes as the simulator serves them (snake_case, as on the wire).
 * Only the fields the product reads plus the common neighbours that real payloads carry.
 */

export type ZendeskTicketStatus = 'new' | 'open' | 'pending' | 'hold' | 'solved' | 'closed' | 'deleted';
export type ZendeskPriority = 'urgent' | 'high' | 'normal' | 'low' | null;
export type ZendeskTicketType = 'problem' | 'incident' | 'question' | 'task' | null;
export type ZendeskUserRole = 'end-user' | 'agent' | 'admin';

export interface ZendeskVia {
  channel: string;
  source: { from: Record<string, unknown>; to: Record<string, unknown>; rel: string | null };
}

export interface ZendeskCustomFieldValue {
  id: number;
  value: string | number | boolean | null;
}

export interface ZendeskSatisfactionRating {
  score: 'unoffered' | 'offered' | 'good' | 'bad';
  comment?: string;
}

export interface ZendeskTicket {
  url: string;
  id: number;
  external_id: string | null;
  via: ZendeskVia;
  created_at: string;
  updated_at: string;
  generated_timestamp: number;
  type: ZendeskTicketType;
  subject: string;
  raw_subject: string;
  description: string;
  priority: ZendeskPriority;
  status: ZendeskTicketStatus;
  recipient: string | null;
  requester_id: number;
  submitter_id: number;
  assignee_id: number | null;
  organization_id: number | null;
  group_id: number | null;
  collaborator_ids: number[];
  follower_ids: number[];
  email_cc_ids: number[];
  forum_topic_id: null;
  problem_id: number | null;
  has_incidents: boolean;
  is_public: boolean;
  due_at: string | null;
  tags: string[];
  custom_fields: ZendeskCustomFieldValue[];
  fields: ZendeskCustomFieldValue[];
  satisfaction_rating: ZendeskSatisfactionRating;
  sharing_agreement_ids: number[];
  followup_ids: number[];
  ticket_form_id: number;
  brand_id: number;
  allow_channelback: boolean;
  allow_attachments: boolean;
  from_messaging_channel: boolean;
}

export interface ZendeskCommentMetadata {
  system: {
    client?: string;
    ip_address: string | null;
    location: string | null;
    latitude?: number | null;
    longitude?: number | null;
  };
  custom: Record<string, unknown>;
}

export interface ZendeskComment {
  id: number;
  /** 'Comment', or 'VoiceComment' / 'TpeVoiceComment' for calls (transcription in body, details in data). */
  type: string;
  author_id: number;
  body: string;
  html_body: string;
  plain_body: string;
  public: boolean;
  attachments: unknown[];
  audit_id: number;
  via: ZendeskVia;
  metadata: ZendeskCommentMetadata;
  created_at: string;
  /** Voice comments: the call's details. */
  data?: Record<string, unknown>;
}

export interface ZendeskUser {
  id: number;
  url: string;
  name: string;
  email: string;
  created_at: string;
  updated_at: string;
  time_zone: string;
  iana_time_zone: string;
  phone: string | null;
  shared_phone_number: boolean | null;
  photo: null;
  locale_id: number;
  locale: string;
  organization_id: number | null;
  role: ZendeskUserRole;
  verified: boolean;
  external_id: string | null;
  tags: string[];
  alias: string | null;
  active: boolean;
  shared: boolean;
  shared_agent: boolean;
  last_login_at: string | null;
  two_factor_auth_enabled: boolean | null;
  signature: string | null;
  details: string | null;
  notes: string | null;
  role_type: number | null;
  custom_role_id: number | null;
  moderator: boolean;
  ticket_restriction: string | null;
  only_private_comments: boolean;
  restricted_agent: boolean;
  suspended: boolean;
  default_group_id: number | null;
  report_csv: boolean;
  user_fields: Record<string, unknown>;
}

export interface ZendeskOrganization {
  url: string;
  id: number;
  name: string;
  shared_tickets: boolean;
  shared_comments: boolean;
  external_id: string | null;
  created_at: string;
  updated_at: string;
  domain_names: string[];
  details: string;
  notes: string;
  group_id: number | null;
  tags: string[];
  organization_fields: Record<string, unknown>;
}

export interface ZendeskChildEvent {
  id: number;
  event_type: string;
  type?: string;
  via?: ZendeskVia;
  via_reference_id?: number | null;
  [key: string]: unknown;
}

export interface ZendeskTicketEvent {
  id: number;
  ticket_id: number;
  timestamp: number;
  created_at: string;
  updater_id: number;
  via: string;
  system: Record<string, unknown>;
  event_type: 'Audit';
  child_events: ZendeskChildEvent[];
  merged_ticket_ids: number[];
}

/** Body of a comment added through {@link ZendeskDataset.addComment}. */
export interface NewComment {
  body: string;
  html_body?: string;
  public?: boolean;
  /** Defaults to the ticket requester for public comments, an agent for internal notes. */
  author_id?: number;
  /** ms since epoch; defaults to the clock's now. */
  created_at_ms?: number;
}

/** Fields a test may overwrite with {@link ZendeskDataset.updateTicket}. */
export type TicketPatch = Partial<
  Pick<
    ZendeskTicket,
    | 'subject'
    | 'status'
    | 'priority'
    | 'type'
    | 'tags'
    | 'assignee_id'
    | 'group_id'
    | 'organization_id'
    | 'custom_fields'
    | 'brand_id'
    | 'satisfaction_rating'
    | 'external_id'
  >
>;
