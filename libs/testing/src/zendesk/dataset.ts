/**
 * The simulator's in-memory Zendesk account: a deterministic, compact, mutable dataset.
 *
 * Memory: per ticket only a handful of numbers live in typed arrays (times, status, kind, author
 * indices, comment times and roles). Subjects, descriptions and comment texts are rendered on
 * demand from the seed, so 100,000 tickets cost a few tens of MB. Changes made by tests (patches,
 * added comments, redactions, deletions) are kept as overrides.
 *
 * Ordering: every ticket has a change sequence number `seq`; the cursor export walks tickets in
 * `seq` order, which is also non-decreasing `generated_timestamp` order (ties by id for generated
 * tickets, by change order for changed ones). A change gives the ticket a new, highest `seq`, so a
 * cursor issued before the change returns the ticket again later.
 */
import { createHash } from 'node:crypto';
import {
  AGENT_NAMES,
  ASKS,
  CLOSINGS_AFTER_FIX,
  FIRST_NAMES,
  GENERIC_AGENT_OPENERS,
  GENERIC_AGENT_SIGNOFFS,
  GENERIC_FOLLOWUPS,
  GENERIC_INTERNAL_NOTES,
  GREETINGS,
  LAST_NAMES,
  NOISE_KINDS,
  NoiseSpec,
  NoiseTopic,
  ORG_PREFIXES,
  ORG_SUFFIXES,
  PLANTED_PROBLEMS,
  PlantedProblemSpec,
  PRODUCT_NAME,
  SIGNOFFS,
  SLOT_POOLS,
  TIME_ZONES,
  Timeline,
} from './catalog';
import { Clock, systemClock } from './clock';
import { hashSeed, Rng } from './prng';
import { isoSeconds, luhnCard, paragraphs, render, sentences, slug, SlotResolver, toHtml } from './text';
import {
  NewComment,
  TicketPatch,
  ZendeskChildEvent,
  ZendeskComment,
  ZendeskCustomFieldValue,
  ZendeskOrganization,
  ZendeskPriority,
  ZendeskTicket,
  ZendeskTicketEvent,
  ZendeskTicketStatus,
  ZendeskTicketType,
  ZendeskUser,
  ZendeskVia,
} from './types';

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

export interface ZendeskDatasetOptions {
  /** PRNG seed. Same seed + same options + same endTime → identical data. Default 42. */
  seed?: number;
  /** Number of generated tickets. Default 500. */
  tickets?: number;
  /** Number of customer organizations. Default 60. */
  organizations?: number;
  /** Number of end users. Default: ticket count / 8, clamped to 150..5000. */
  endUsers?: number;
  /** Number of agents (the first two are admins). Default 12. */
  agents?: number;
  /** Days of history. Default 120. */
  days?: number;
  /** End of the generated history (ms since epoch). Default: the clock's now when generated. */
  endTime?: number | Date;
  /** Share of tickets that report a planted problem (the rest are noise). Default 0.5. */
  problemShare?: number;
  /** Share of tickets that are deleted. Default 0.01. */
  deletedShare?: number;
  /** Share of tickets whose comments contain planted personal data. Default 0.08. */
  piiShare?: number;
  /** Share of problem tickets that also mention a second planted problem. Default 0.04. */
  secondaryShare?: number;
  /** Id of the oldest ticket. Default 1001. */
  firstTicketId?: number;
  /** Time source for changes (`touchTickets`, `addComment`, ...). Default the system clock. */
  clock?: Clock;
  /** Used in `url` fields; the simulator sets it to its own URL when started. */
  baseUrl?: string;
  /** Zendesk subdomain shown in emails and agent links. Default "acme". */
  subdomain?: string;
  /** Rendered tickets kept in an LRU cache. Default 2048. */
  cacheSize?: number;
}

export type PiiKind = 'email' | 'phone' | 'card' | 'ip';

export interface PlantedPii {
  ticketId: number;
  commentId: number;
  kind: PiiKind;
  /** Exactly as it appears in the comment body. */
  value: string;
}

/** Ground truth for one ticket (never part of any API payload). */
export interface TicketLabel {
  ticketId: number;
  /** Id of the planted problem the ticket reports, or null for a noise ticket. */
  plantedProblem: string | null;
  /** Kind of noise ticket (how-to, password reset, ...), or null for a problem ticket. */
  noiseKind: string | null;
  /** Further planted problems mentioned in passing in the ticket. */
  alsoMentions: string[];
  /** True when comments contain planted personal data (see {@link ZendeskDataset.piiOf}). */
  hasPii: boolean;
  deleted: boolean;
  /** Unix seconds. */
  createdAt: number;
  organizationId: number | null;
}

export interface PlantedProblemInfo {
  id: string;
  title: string;
  area: string;
  issueType: string;
  severity: string;
  timeline: Timeline;
  keywords: string[];
}

/** A comment the API would return, plus the structural facts tests may want. */
export interface ThreadComment extends ZendeskComment {
  /** 'requester' (customer), 'agent' (public agent reply), 'internal' (agent note). */
  role: 'requester' | 'agent' | 'internal';
}

export interface TicketThread {
  ticket: ZendeskTicket;
  comments: ThreadComment[];
  pii: PlantedPii[];
}

interface StoredComment {
  id: number;
  authorId: number;
  role: 'requester' | 'agent' | 'internal';
  body: string;
  htmlBody: string | null;
  public: boolean;
  createdAt: number; // unix seconds
  /** Comment type: 'Comment' (default), 'VoiceComment', 'TpeVoiceComment'. */
  type?: string;
  /** Voice comments: the call's details. */
  data?: Record<string, unknown>;
  /** Overrides the computed via (merge comments). */
  via?: ZendeskVia;
  /** The audit that added the comment merged these tickets into this one. */
  mergedTicketIds?: number[];
}

interface ExtraEvent {
  ts: number;
  idx: number;
  auditId: number;
  updaterId: number;
  children: ZendeskChildEvent[];
}

interface AgentRec {
  id: number;
  name: string;
  email: string;
  role: 'agent' | 'admin';
}

interface EndUserRec {
  id: number;
  name: string;
  first: string;
  last: string;
  email: string;
  orgIdx: number; // -1: no organization
  tz: number;
  phone: string | null;
}

interface OrgRec {
  id: number;
  name: string;
  domain: string;
  plan: string;
  brand: number; // 0 | 1
  createdAt: number;
}

// ---------------------------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------------------------

const DAY = 86_400;
export const ORG_ID_BASE = 7_000_000_000;
export const USER_ID_BASE = 8_000_000_000;
export const BRAND_IDS = [360_000_000_101, 360_000_000_102] as const;
export const BRAND_NAMES = ['Acme Analytics', 'Acme Analytics EU'] as const;
const GROUP_IDS = { tier1: 20_000_000_001, tier2: 20_000_000_002, billing: 20_000_000_003, engineering: 20_000_000_004 };
export const CUSTOM_FIELD_IDS = {
  productArea: 360_000_100_001,
  plan: 360_000_100_002,
  appVersion: 360_000_100_003,
  affectedUsers: 360_000_100_004,
  escalated: 360_000_100_005,
  jiraKey: 360_000_100_006,
} as const;
const TICKET_FORM_ID = 360_000_200_001;
const COMMENT_ID_BASE = 50_000_000_000;
const AUDIT_ID_BASE = 60_000_000_000;
const CHILD_ID_BASE = 70_000_000_000;
const EXTRA_AUDIT_BASE = 80_000_000_000;
/** Comment ids are COMMENT_ID_BASE + ticketId * SLOT + k. */
const SLOT = 10_000;
const MAX_COMMENTS = 5_000;

const STATUS_CODES: readonly ZendeskTicketStatus[] = ['new', 'open', 'pending', 'hold', 'solved', 'closed', 'deleted'];
const S = { new: 0, open: 1, pending: 2, hold: 3, solved: 4, closed: 5, deleted: 6 } as const;

const ROLE_REQUESTER = 0;
const ROLE_AGENT = 1;
const ROLE_INTERNAL = 2;

const CHANNELS = ['email', 'web', 'chat', 'api', 'mobile'] as const;
const CHANNEL_WEIGHTS = [50, 33, 8, 3, 6];
const EVENT_VIA: Record<string, string> = { email: 'Mail', web: 'Web form', chat: 'Chat', api: 'Web service', mobile: 'Mobile' };

/** Comment count distribution for 1..8 comments. */
const COMMENT_COUNT_WEIGHTS = [10, 20, 22, 18, 12, 8, 6, 4];

// Stream tags so different uses of the seed never overlap.
const TAG_DRAW = 1;
const TAG_STRUCT = 2;
const TAG_TEXT = 3;
const TAG_PEOPLE = 4;
const TAG_FRESH = 5;

const AREA_TAG: Record<string, string> = {
  billing: 'area_billing',
  sso_login: 'area_login_sso',
  data_export: 'area_data_export',
  integrations: 'area_integrations',
  dashboards: 'area_dashboards',
  notifications: 'area_notifications',
  mobile_app: 'area_mobile_app',
  api_webhooks: 'area_api_webhooks',
  permissions: 'area_permissions',
  performance: 'area_performance',
  account: 'area_account',
};

// ---------------------------------------------------------------------------------------------
// Growable typed arrays
// ---------------------------------------------------------------------------------------------

type NumArray = Float64Array | Int32Array | Int16Array | Int8Array | Uint8Array | Uint16Array;

function grow<T extends NumArray>(arr: T, need: number): T {
  if (need <= arr.length) return arr;
  let cap = Math.max(16, arr.length);
  while (cap < need) cap *= 2;
  const Ctor = arr.constructor as new (n: number) => T;
  const next = new Ctor(cap);
  next.set(arr);
  return next;
}

// ---------------------------------------------------------------------------------------------
// The dataset
// ---------------------------------------------------------------------------------------------

export class ZendeskDataset {
  readonly seed: number;
  readonly days: number;
  /** End of generated history, unix seconds. */
  readonly endTime: number;
  readonly firstTicketId: number;
  readonly subdomain: string;
  clock: Clock;
  baseUrl: string;

  private readonly problemShare: number;
  private readonly deletedShare: number;
  private readonly piiShare: number;
  private readonly secondaryShare: number;

  // People
  private readonly orgs: OrgRec[] = [];
  private readonly agents: AgentRec[] = [];
  private readonly endUsers: EndUserRec[] = [];
  private readonly userCreatedAt: number;
  private orgUserWeights: number[] = [];

  // Per ticket (index = ticketId - firstTicketId)
  private n = 0;
  private kind = new Int16Array(0); // 0..P-1 planted problem, 100+j noise kind j
  private secondary = new Int8Array(0); // -1 or problem index
  private flags = new Uint8Array(0); // 1 = pii, 2 = fresh (added later), 4 = generated as deleted
  private status = new Uint8Array(0);
  private createdAt = new Float64Array(0);
  private updatedAt = new Float64Array(0);
  private gts = new Float64Array(0);
  private solvedAt = new Float64Array(0);
  private closedAt = new Float64Array(0);
  private seq = new Float64Array(0);
  private requester = new Int32Array(0);
  private assignee = new Int16Array(0); // agent index or -1
  private channel = new Uint8Array(0);
  private commentStart = new Int32Array(0);
  private commentCount = new Uint16Array(0);

  // Per generated comment
  private cCount = 0;
  private cTime = new Float64Array(0);
  private cRole = new Uint8Array(0);
  private cAgent = new Int16Array(0);

  // Overrides
  private readonly patches = new Map<number, TicketPatch>();
  private readonly extraComments = new Map<number, StoredComment[]>();
  private readonly redactions = new Map<number, Array<{ text: string }>>();
  /** Comment id → visibility as posted and now (CommentPrivacyChange). */
  private readonly privacy = new Map<number, { original: boolean; current: boolean }>();
  /** Tickets permanently deleted: exported scrubbed (subject SCRUBBED, description X). */
  private readonly scrubbed = new Set<number>();
  /** Merged tickets (index) → target ticket id. */
  private readonly mergedInto = new Map<number, number>();
  private readonly extraEvents: ExtraEvent[] = [];

  // Order by seq
  private nextSeq = 1;
  private maxGts = 0;
  private order = new Int32Array(0);
  private orderDirty = true;

  // Event index (built lazily)
  private evDirty = true;
  private evTs = new Float64Array(0);
  private evIdx = new Int32Array(0);
  private evKind = new Int32Array(0);
  private evCount = 0;

  // Small LRU of rendered threads
  private readonly cache = new Map<number, TicketThread>();
  private readonly cacheSize: number;

  constructor(options: ZendeskDatasetOptions = {}) {
    this.seed = (options.seed ?? 42) >>> 0;
    this.clock = options.clock ?? systemClock;
    const end = options.endTime instanceof Date ? options.endTime.getTime() : options.endTime;
    this.endTime = Math.floor((end ?? this.clock.now()) / 1000);
    this.days = options.days ?? 120;
    this.firstTicketId = options.firstTicketId ?? 1001;
    this.subdomain = options.subdomain ?? 'acme';
    this.cacheSize = Math.max(1, options.cacheSize ?? 2048);
    this.baseUrl = options.baseUrl ?? `https://${this.subdomain}.zendesk.com`;
    this.problemShare = options.problemShare ?? 0.5;
    this.deletedShare = options.deletedShare ?? 0.01;
    this.piiShare = options.piiShare ?? 0.08;
    this.secondaryShare = options.secondaryShare ?? 0.04;
    const tickets = Math.max(0, Math.floor(options.tickets ?? 500));
    this.userCreatedAt = this.endTime - (this.days + 400) * DAY;

    this.generatePeople(
      options.organizations ?? 60,
      options.endUsers ?? Math.min(5000, Math.max(150, Math.round(tickets / 8))),
      Math.max(2, options.agents ?? 12),
    );
    this.generateTickets(tickets);
  }

  // -------------------------------------------------------------------------------------------
  // Generation
  // -------------------------------------------------------------------------------------------

  private generatePeople(orgCount: number, userCount: number, agentCount: number): void {
    const rng = Rng.of(this.seed, TAG_PEOPLE);
    const combos: string[] = [];
    for (const p of ORG_PREFIXES) for (const s of ORG_SUFFIXES) combos.push(`${p} ${s}`);
    const names = rng.sample(combos, orgCount);
    const plans = ['team', 'team', 'growth', 'professional', 'professional', 'enterprise'];
    for (let i = 0; i < orgCount; i++) {
      const base = names[i] ?? `Customer ${i + 1}`;
      const name = i < names.length ? base : `${base}`;
      this.orgs.push({
        id: ORG_ID_BASE + i + 1,
        name,
        domain: `${slug(name)}.example.com`,
        plan: rng.pick(plans),
        brand: i % 5 === 3 ? 1 : 0,
        createdAt: this.userCreatedAt + rng.int(0, 300) * DAY,
      });
    }
    // Zipf-like organization sizes: a few big customers, a long tail.
    this.orgUserWeights = this.orgs.map((_, i) => 1 / Math.pow(i + 1, 0.7));

    for (let i = 0; i < agentCount; i++) {
      const name = i === 0 ? 'Support Admin' : AGENT_NAMES[(i - 1) % AGENT_NAMES.length] + (i > AGENT_NAMES.length ? ` ${i}` : '');
      const email = i === 0 ? `admin@acme-analytics.example.com` : `${slug(name, '.')}@acme-analytics.example.com`;
      this.agents.push({ id: USER_ID_BASE + i + 1, name, email, role: i < 2 ? 'admin' : 'agent' });
    }

    const usedEmails = new Set<string>();
    for (let i = 0; i < userCount; i++) {
      const first = rng.pick(FIRST_NAMES);
      const last = rng.pick(LAST_NAMES);
      const orgIdx = this.orgs.length > 0 && !rng.chance(0.06) ? rng.weighted(this.orgUserWeights) : -1;
      const domain = orgIdx >= 0 ? (this.orgs[orgIdx] as OrgRec).domain : rng.pick(['gmail.example.com', 'outlook.example.com', 'proton.example.com']);
      let email = `${slug(first, '.')}.${slug(last, '.')}@${domain}`;
      for (let k = 2; usedEmails.has(email); k++) email = `${slug(first, '.')}.${slug(last, '.')}${k}@${domain}`;
      usedEmails.add(email);
      this.endUsers.push({
        id: USER_ID_BASE + agentCount + i + 1,
        name: `${first} ${last}`,
        first,
        last,
        email,
        orgIdx,
        tz: rng.int(0, TIME_ZONES.length - 1),
        phone: rng.chance(0.3) ? `+1-555-01${String(rng.int(0, 99)).padStart(2, '0')}` : null,
      });
    }
  }

  private kindWeights(): number[] {
    const pw = PLANTED_PROBLEMS.map((p) => p.weight);
    const nw = NOISE_KINDS.map((k) => k.weight);
    const pSum = pw.reduce((a, b) => a + b, 0);
    const nSum = nw.reduce((a, b) => a + b, 0);
    return [...pw.map((w) => (w / pSum) * this.problemShare), ...nw.map((w) => (w / nSum) * (1 - this.problemShare))];
  }

  private kindFromDraw(draw: number): number {
    return draw < PLANTED_PROBLEMS.length ? draw : 100 + (draw - PLANTED_PROBLEMS.length);
  }

  private timelineOf(kind: number): Timeline {
    return kind < 100 ? (PLANTED_PROBLEMS[kind] as PlantedProblemSpec).timeline : { kind: 'steady' };
  }

  /** A creation time (unix seconds) for a ticket of the given timeline. */
  private sampleCreated(rng: Rng, timeline: Timeline): number {
    const span = this.days * DAY;
    for (let attempt = 0; attempt < 20; attempt++) {
      let offset: number;
      if (timeline.kind === 'spike') {
        offset = timeline.days * DAY * (1 - Math.sqrt(rng.float()));
      } else if (timeline.kind === 'rising') {
        offset = rng.chance(0.2) ? rng.float() * span : timeline.days * DAY * (1 - Math.sqrt(rng.float()));
      } else {
        offset = rng.float() * span;
      }
      let t = this.endTime - offset;
      const dayStart = Math.floor(t / DAY) * DAY;
      const weekday = new Date(dayStart * 1000).getUTCDay();
      if ((weekday === 0 || weekday === 6) && !rng.chance(0.3)) continue;
      // Mostly business hours across US and EU (06:00-21:00 UTC), a few at night.
      const tod = rng.chance(0.1) ? rng.float() * DAY : (6 + 15 * ((rng.float() + rng.float()) / 2)) * 3600;
      t = Math.floor(dayStart + tod);
      if (t > this.endTime - 120 || t < this.endTime - span) continue;
      return t;
    }
    return this.endTime - 120 - Math.floor(rng.float() * 3600);
  }

  private generateTickets(count: number): void {
    const draw = Rng.of(this.seed, TAG_DRAW);
    const weights = this.kindWeights();
    const kinds = new Int16Array(count);
    const times = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const k = this.kindFromDraw(draw.weighted(weights));
      kinds[i] = k;
      times[i] = this.sampleCreated(draw, this.timelineOf(k));
    }
    // Ids ascend with creation time, like a real account.
    const perm = new Int32Array(count);
    for (let i = 0; i < count; i++) perm[i] = i;
    perm.sort((a, b) => (times[a] as number) - (times[b] as number) || a - b);

    this.ensureTicketCapacity(count);
    this.ensureCommentCapacity(Math.ceil(count * 4.2) + 16);
    for (let j = 0; j < count; j++) {
      const src = perm[j] as number;
      this.structureTicket(j, kinds[src] as number, times[src] as number, false);
    }
    this.n = count;

    // Initial seq: rank by (generated_timestamp, id).
    const byGts = new Int32Array(count);
    for (let i = 0; i < count; i++) byGts[i] = i;
    byGts.sort((a, b) => (this.gts[a] as number) - (this.gts[b] as number) || a - b);
    for (let r = 0; r < count; r++) {
      const idx = byGts[r] as number;
      this.seq[idx] = this.nextSeq++;
      if ((this.gts[idx] as number) > this.maxGts) this.maxGts = this.gts[idx] as number;
    }
    this.orderDirty = true;
    this.evDirty = true;
  }

  private ensureTicketCapacity(need: number): void {
    this.kind = grow(this.kind, need);
    this.secondary = grow(this.secondary, need);
    this.flags = grow(this.flags, need);
    this.status = grow(this.status, need);
    this.createdAt = grow(this.createdAt, need);
    this.updatedAt = grow(this.updatedAt, need);
    this.gts = grow(this.gts, need);
    this.solvedAt = grow(this.solvedAt, need);
    this.closedAt = grow(this.closedAt, need);
    this.seq = grow(this.seq, need);
    this.requester = grow(this.requester, need);
    this.assignee = grow(this.assignee, need);
    this.channel = grow(this.channel, need);
    this.commentStart = grow(this.commentStart, need);
    this.commentCount = grow(this.commentCount, need);
  }

  private ensureCommentCapacity(need: number): void {
    this.cTime = grow(this.cTime, need);
    this.cRole = grow(this.cRole, need);
    this.cAgent = grow(this.cAgent, need);
  }

  /** Draws everything about ticket `idx` except its text. */
  private structureTicket(idx: number, kind: number, created: number, fresh: boolean): void {
    const rng = Rng.of(this.seed, fresh ? TAG_FRESH : TAG_STRUCT, idx);
    const horizon = fresh ? created : this.endTime - 60;
    this.kind[idx] = kind;
    this.createdAt[idx] = created;
    this.secondary[idx] = -1;
    if (kind < 100 && rng.chance(this.secondaryShare) && PLANTED_PROBLEMS.length > 1) {
      let other = rng.int(0, PLANTED_PROBLEMS.length - 2);
      if (other >= kind) other++;
      this.secondary[idx] = other;
    }
    let flags = fresh ? 2 : 0;
    if (rng.chance(this.piiShare)) flags |= 1;
    this.flags[idx] = flags;

    // Requester, assignee, channel
    this.requester[idx] = this.endUsers.length > 0 ? rng.int(0, this.endUsers.length - 1) : -1;
    const agentCount = this.agents.length;
    const assignee = rng.int(1, Math.max(1, agentCount - 1));
    let channel = rng.weighted(CHANNEL_WEIGHTS);
    if (kind === PROBLEM_INDEX['android14-dashboard-crash'] && rng.chance(0.5)) channel = 4;
    this.channel[idx] = channel;

    // Comments
    const start = this.cCount;
    const wanted = fresh ? 1 : rng.weighted(COMMENT_COUNT_WEIGHTS) + 1;
    this.ensureCommentCapacity(start + wanted);
    let t = created;
    let prevRole = ROLE_REQUESTER;
    this.cTime[start] = t;
    this.cRole[start] = ROLE_REQUESTER;
    this.cAgent[start] = -1;
    let count = 1;
    for (let k = 1; k < wanted; k++) {
      let role: number;
      if (prevRole === ROLE_REQUESTER) role = rng.chance(0.85) ? ROLE_AGENT : ROLE_INTERNAL;
      else if (prevRole === ROLE_AGENT) role = rng.chance(0.78) ? ROLE_REQUESTER : rng.chance(0.5) ? ROLE_INTERNAL : ROLE_AGENT;
      else role = rng.chance(0.8) ? ROLE_AGENT : ROLE_REQUESTER;
      let gap: number;
      if (role === ROLE_AGENT) gap = 600 + rng.exp(5 * 3600);
      else if (role === ROLE_INTERNAL) gap = 120 + rng.exp(3600);
      else gap = 900 + rng.exp(20 * 3600);
      const next = Math.floor(t + gap);
      if (next > horizon) break;
      t = next;
      const c = start + count;
      this.cTime[c] = t;
      this.cRole[c] = role;
      this.cAgent[c] = role === ROLE_REQUESTER ? -1 : rng.chance(0.85) || agentCount < 2 ? assignee : rng.int(1, agentCount - 1);
      prevRole = role;
      count++;
    }
    this.commentStart[idx] = start;
    this.commentCount[idx] = count;
    this.cCount = start + count;

    // Status from the shape of the conversation and its age.
    const last = t;
    const age = horizon - last;
    let status: number;
    let solved = 0;
    let closed = 0;
    const hadAgentReply = count > 1;
    if (fresh) status = S.new;
    else if (!hadAgentReply) status = age < 2 * DAY ? S.new : age < 6 * DAY ? S.open : S.solved;
    else if (prevRole === ROLE_REQUESTER) status = age > 5 * DAY ? S.solved : S.open;
    else if (prevRole === ROLE_INTERNAL) status = age > 7 * DAY ? S.solved : rng.chance(0.3) ? S.hold : S.open;
    else status = age < 3 * DAY ? S.pending : S.solved;
    if (status === S.solved) {
      solved = Math.min(horizon, last + Math.floor(3600 + rng.float() * 3 * DAY));
      if (solved + 4 * DAY <= horizon) {
        status = S.closed;
        closed = Math.min(horizon, solved + 4 * DAY + rng.int(0, 3600));
      }
    }
    this.assignee[idx] = status === S.new && !hadAgentReply ? -1 : assignee;
    let updated = Math.max(last, solved, closed);
    let generated = updated;
    if (!fresh && rng.chance(0.05)) generated = Math.min(horizon, updated + rng.int(60, 2 * DAY)); // system updates
    if (!fresh && rng.chance(this.deletedShare)) {
      status = S.deleted;
      this.flags[idx] = (this.flags[idx] as number) | 4;
      updated = Math.min(horizon, generated + rng.int(60, 3 * DAY));
      generated = updated;
    }
    this.status[idx] = status;
    this.solvedAt[idx] = solved;
    this.closedAt[idx] = closed;
    this.updatedAt[idx] = updated;
    this.gts[idx] = generated;
  }

  // -------------------------------------------------------------------------------------------
  // Lookups
  // -------------------------------------------------------------------------------------------

  /** Number of tickets (including deleted ones). */
  get ticketCount(): number {
    return this.n;
  }

  get organizationCount(): number {
    return this.orgs.length;
  }

  get userCount(): number {
    return this.agents.length + this.endUsers.length;
  }

  idxOf(ticketId: number): number {
    const idx = ticketId - this.firstTicketId;
    return Number.isInteger(idx) && idx >= 0 && idx < this.n ? idx : -1;
  }

  ticketIdAt(idx: number): number {
    return this.firstTicketId + idx;
  }

  hasTicket(ticketId: number): boolean {
    return this.idxOf(ticketId) >= 0;
  }

  isDeleted(ticketId: number): boolean {
    const idx = this.idxOf(ticketId);
    return idx >= 0 && this.status[idx] === S.deleted;
  }

  statusOf(ticketId: number): ZendeskTicketStatus | null {
    const idx = this.idxOf(ticketId);
    return idx < 0 ? null : (STATUS_CODES[this.status[idx] as number] as ZendeskTicketStatus);
  }

  /** All ticket ids, ascending. */
  ticketIds(): number[] {
    const out = new Array<number>(this.n);
    for (let i = 0; i < this.n; i++) out[i] = this.firstTicketId + i;
    return out;
  }

  /** Ids of tickets that are not deleted. */
  liveTicketIds(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.n; i++) if (this.status[i] !== S.deleted) out.push(this.firstTicketId + i);
    return out;
  }

  deletedTicketIds(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.n; i++) if (this.status[i] === S.deleted) out.push(this.firstTicketId + i);
    return out;
  }

  /** Number of comments a ticket has (generated plus added). */
  commentCountOf(ticketId: number): number {
    const idx = this.idxOf(ticketId);
    if (idx < 0) return 0;
    return (this.commentCount[idx] as number) + (this.extraComments.get(idx)?.length ?? 0);
  }

  /** Sum of comments over all (or only live) tickets, without rendering any text. */
  totalComments(options: { includeDeleted?: boolean } = {}): number {
    let total = 0;
    for (let i = 0; i < this.n; i++) {
      if (!options.includeDeleted && this.status[i] === S.deleted) continue;
      total += (this.commentCount[i] as number) + (this.extraComments.get(i)?.length ?? 0);
    }
    return total;
  }

  /** Unix seconds of the ticket's generated_timestamp. */
  generatedTimestampOf(ticketId: number): number | null {
    const idx = this.idxOf(ticketId);
    return idx < 0 ? null : (this.gts[idx] as number);
  }

  // -------------------------------------------------------------------------------------------
  // Hidden labels
  // -------------------------------------------------------------------------------------------

  static plantedProblems(): PlantedProblemInfo[] {
    return PLANTED_PROBLEMS.map((p) => ({
      id: p.id,
      title: p.title,
      area: p.area,
      issueType: p.issueType,
      severity: p.severity,
      timeline: p.timeline,
      keywords: p.keywords.slice(),
    }));
  }

  labelOf(ticketId: number): TicketLabel | null {
    const idx = this.idxOf(ticketId);
    return idx < 0 ? null : this.labelAt(idx);
  }

  private labelAt(idx: number): TicketLabel {
    const kind = this.kind[idx] as number;
    const sec = this.secondary[idx] as number;
    const req = this.endUsers[this.requester[idx] as number];
    const org = req && req.orgIdx >= 0 ? this.orgs[req.orgIdx] : undefined;
    return {
      ticketId: this.firstTicketId + idx,
      plantedProblem: kind < 100 ? (PLANTED_PROBLEMS[kind] as PlantedProblemSpec).id : null,
      noiseKind: kind >= 100 ? (NOISE_KINDS[kind - 100] as NoiseSpec).id : null,
      alsoMentions: sec >= 0 ? [(PLANTED_PROBLEMS[sec] as PlantedProblemSpec).id] : [],
      hasPii: ((this.flags[idx] as number) & 1) === 1,
      deleted: this.status[idx] === S.deleted,
      createdAt: this.createdAt[idx] as number,
      organizationId: org ? org.id : null,
    };
  }

  /** Ground truth for every ticket, ascending by id. Cheap (renders no text). */
  labels(): TicketLabel[] {
    const out: TicketLabel[] = [];
    for (let i = 0; i < this.n; i++) out.push(this.labelAt(i));
    return out;
  }

  /** Ids of tickets with planted personal data in their comments. */
  ticketsWithPii(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.n; i++) if (((this.flags[i] as number) & 1) === 1) out.push(this.firstTicketId + i);
    return out;
  }

  /** The planted personal data of one ticket (renders its text). */
  piiOf(ticketId: number): PlantedPii[] {
    const thread = this.thread(ticketId);
    return thread ? thread.pii.slice() : [];
  }

  /** All planted personal data (renders the text of the tickets that have some). */
  allPlantedPii(): PlantedPii[] {
    const out: PlantedPii[] = [];
    for (const id of this.ticketsWithPii()) out.push(...this.piiOf(id));
    return out;
  }

  // -------------------------------------------------------------------------------------------
  // People
  // -------------------------------------------------------------------------------------------

  private endUserJson(u: EndUserRec): ZendeskUser {
    const tz = TIME_ZONES[u.tz] as [string, string];
    return this.userJson({
      id: u.id,
      name: u.name,
      email: u.email,
      role: 'end-user',
      organization_id: u.orgIdx >= 0 ? (this.orgs[u.orgIdx] as OrgRec).id : null,
      time_zone: tz[0],
      iana_time_zone: tz[1],
      phone: u.phone,
    });
  }

  private agentJson(a: AgentRec): ZendeskUser {
    return this.userJson({
      id: a.id,
      name: a.name,
      email: a.email,
      role: a.role,
      organization_id: null,
      time_zone: 'UTC',
      iana_time_zone: 'Etc/UTC',
      phone: null,
    });
  }

  private userJson(p: Pick<ZendeskUser, 'id' | 'name' | 'email' | 'role' | 'organization_id' | 'time_zone' | 'iana_time_zone' | 'phone'>): ZendeskUser {
    const isAgent = p.role !== 'end-user';
    return {
      id: p.id,
      url: `${this.baseUrl}/api/v2/users/${p.id}.json`,
      name: p.name,
      email: p.email,
      created_at: isoSeconds(this.userCreatedAt + (p.id % 300) * DAY),
      updated_at: isoSeconds(this.userCreatedAt + (p.id % 300) * DAY + 3600),
      time_zone: p.time_zone,
      iana_time_zone: p.iana_time_zone,
      phone: p.phone,
      shared_phone_number: p.phone ? false : null,
      photo: null,
      locale_id: 1,
      locale: 'en-US',
      organization_id: p.organization_id,
      role: p.role,
      verified: true,
      external_id: null,
      tags: [],
      alias: null,
      active: true,
      shared: false,
      shared_agent: false,
      last_login_at: isAgent ? isoSeconds(this.endTime - (p.id % 50) * 3600) : null,
      two_factor_auth_enabled: isAgent ? true : null,
      signature: isAgent ? `${p.name}\n${PRODUCT_NAME} Support` : null,
      details: '',
      notes: '',
      role_type: isAgent ? (p.role === 'admin' ? 4 : 0) : null,
      custom_role_id: null,
      moderator: isAgent,
      ticket_restriction: isAgent ? null : 'requested',
      only_private_comments: false,
      restricted_agent: false,
      suspended: false,
      default_group_id: isAgent ? GROUP_IDS.tier1 : null,
      report_csv: isAgent,
      user_fields: {},
    };
  }

  getUser(userId: number): ZendeskUser | null {
    const ai = userId - USER_ID_BASE - 1;
    if (ai >= 0 && ai < this.agents.length) return this.agentJson(this.agents[ai] as AgentRec);
    const ui = ai - this.agents.length;
    if (ui >= 0 && ui < this.endUsers.length) return this.endUserJson(this.endUsers[ui] as EndUserRec);
    return null;
  }

  findUserByEmail(email: string): ZendeskUser | null {
    const e = email.toLowerCase();
    const a = this.agents.find((x) => x.email === e);
    if (a) return this.agentJson(a);
    const u = this.endUsers.find((x) => x.email === e);
    return u ? this.endUserJson(u) : null;
  }

  /** The first admin (the account the default API credentials belong to). */
  get adminUser(): ZendeskUser {
    return this.agentJson(this.agents[0] as AgentRec);
  }

  agentUsers(): ZendeskUser[] {
    return this.agents.map((a) => this.agentJson(a));
  }

  users(): ZendeskUser[] {
    return [...this.agents.map((a) => this.agentJson(a)), ...this.endUsers.map((u) => this.endUserJson(u))];
  }

  getOrganization(orgId: number): ZendeskOrganization | null {
    const i = orgId - ORG_ID_BASE - 1;
    if (i < 0 || i >= this.orgs.length) return null;
    const o = this.orgs[i] as OrgRec;
    return {
      url: `${this.baseUrl}/api/v2/organizations/${o.id}.json`,
      id: o.id,
      name: o.name,
      shared_tickets: false,
      shared_comments: false,
      external_id: null,
      created_at: isoSeconds(o.createdAt),
      updated_at: isoSeconds(o.createdAt + 7 * DAY),
      domain_names: [o.domain],
      details: '',
      notes: '',
      group_id: null,
      tags: [`plan_${o.plan}`, o.brand === 1 ? 'region_eu' : 'region_us'],
      organization_fields: { plan: o.plan, region: o.brand === 1 ? 'eu' : 'us', ...this.orgFieldOverrides.get(o.id) },
    };
  }

  /** Extra organization fields by organization id (ARR, segment, ... for account tests): see `setOrganizationFields`. */
  private readonly orgFieldOverrides = new Map<number, Record<string, unknown>>();

  /**
   * Sets custom fields of an organization (merged over the generated `plan` and `region`), as an admin would in
   * Zendesk: the organization's JSON carries them from then on. Unknown ids throw.
   */
  setOrganizationFields(orgId: number, fields: Record<string, unknown>): void {
    if (!this.getOrganization(orgId)) throw new Error(`no organization ${orgId}`);
    this.orgFieldOverrides.set(orgId, { ...this.orgFieldOverrides.get(orgId), ...fields });
  }

  organizations(): ZendeskOrganization[] {
    return this.orgs.map((o) => this.getOrganization(o.id) as ZendeskOrganization);
  }

  // -------------------------------------------------------------------------------------------
  // Tickets and comments
  // -------------------------------------------------------------------------------------------

  /** The ticket as the API returns it (deleted tickets have status "deleted"), or null. */
  getTicket(ticketId: number): ZendeskTicket | null {
    return this.thread(ticketId)?.ticket ?? null;
  }

  /** All comments of a ticket, ascending by created_at (also for deleted tickets). */
  getComments(ticketId: number): ThreadComment[] {
    return this.thread(ticketId)?.comments ?? [];
  }

  /** Ticket, comments and planted PII, rendered (cached in a small LRU). */
  thread(ticketId: number): TicketThread | null {
    const idx = this.idxOf(ticketId);
    if (idx < 0) return null;
    const hit = this.cache.get(idx);
    if (hit) {
      this.cache.delete(idx);
      this.cache.set(idx, hit);
      return hit;
    }
    const built = this.buildThread(idx);
    this.cache.set(idx, built);
    if (this.cache.size > this.cacheSize) {
      const oldest = this.cache.keys().next().value as number;
      this.cache.delete(oldest);
    }
    return built;
  }

  private invalidate(idx: number): void {
    this.cache.delete(idx);
  }

  private requesterRec(idx: number): EndUserRec | null {
    return this.endUsers[this.requester[idx] as number] ?? null;
  }

  private agentAt(i: number): AgentRec {
    return (this.agents[i] ?? this.agents[0]) as AgentRec;
  }

  private buildThread(idx: number): TicketThread {
    const ticketId = this.firstTicketId + idx;
    const kind = this.kind[idx] as number;
    const problem = kind < 100 ? (PLANTED_PROBLEMS[kind] as PlantedProblemSpec) : null;
    const noise = kind >= 100 ? (NOISE_KINDS[kind - 100] as NoiseSpec) : null;
    const spec = (problem ?? noise) as PlantedProblemSpec | NoiseSpec;
    const req = this.requesterRec(idx);
    const org = req && req.orgIdx >= 0 ? (this.orgs[req.orgIdx] as OrgRec) : null;
    const assigneeIdx = this.assignee[idx] as number;
    const assignee = assigneeIdx >= 0 ? this.agentAt(assigneeIdx) : null;
    const rng = Rng.of(this.seed, TAG_TEXT, idx);
    const status = this.status[idx] as number;
    const channel = CHANNELS[this.channel[idx] as number] as string;

    // Per-ticket slot values, resolved lazily (only the slots a template uses cost anything).
    const slotSeed = hashSeed(this.seed, TAG_TEXT, idx, 0x5107);
    const fixed: Record<string, string> = {
      product: PRODUCT_NAME,
      org: org ? org.name : 'our company',
      orgline: org ? org.name : '',
      first: req ? req.first : 'Alex',
      name: req ? req.name : 'Alex Doe',
      agent: firstName((assignee ?? this.agentAt(1)).name),
    };
    if (problem) fixed['jira'] = problem.jira;
    const ctx: SlotResolver = (name) => {
      const f = fixed[name];
      if (f !== undefined) return f;
      const pool = SLOT_POOLS[name];
      if (!pool) return undefined;
      return pool[hashSeed(slotSeed, SLOT_INDEX[name] as number) % pool.length];
    };
    const lower = rng.chance(0.08);
    const terse = rng.chance(0.2);
    const customerStyle = (s: string): string => (lower ? s.toLowerCase() : s);

    const topic = noise ? rng.pick(noise.topics) : null;
    const subject = customerStyle(render(rng.pick(problem ? problem.subjects : (topic as NoiseTopic).subjects), ctx, rng));

    // PII plan: which requester comment gets which kinds.
    const hasPii = ((this.flags[idx] as number) & 1) === 1;
    const piiKinds: PiiKind[] = [];
    if (hasPii) {
      const billing = problem?.area === 'billing' || noise?.area === 'billing';
      const all: PiiKind[] = billing ? ['email', 'phone', 'card', 'ip'] : ['email', 'phone', 'ip'];
      const first: PiiKind = billing && rng.chance(0.7) ? 'card' : rng.pick(all);
      piiKinds.push(first);
      if (rng.chance(0.35)) {
        const second = rng.pick(all.filter((k) => k !== first));
        piiKinds.push(second);
      }
    }

    const start = this.commentStart[idx] as number;
    const count = this.commentCount[idx] as number;
    const requesterComments: number[] = [];
    for (let k = 0; k < count; k++) if (this.cRole[start + k] === ROLE_REQUESTER) requesterComments.push(k);
    const piiComment = hasPii ? (rng.chance(0.6) ? 0 : rng.pick(requesterComments)) : -1;
    const asideComment =
      (this.secondary[idx] as number) >= 0 ? (requesterComments.length > 1 && rng.chance(0.5) ? (requesterComments[1] as number) : 0) : -1;
    const lastRequester = requesterComments[requesterComments.length - 1] as number;
    const resolved = status === S.solved || status === S.closed;

    const comments: ThreadComment[] = [];
    const pii: PlantedPii[] = [];
    let answered = false;
    const used = new Set<string>();
    for (let k = 0; k < count; k++) {
      const c = start + k;
      const role = this.cRole[c] as number;
      const crng = Rng.of(this.seed, TAG_TEXT, idx, k + 1);
      const commentId = COMMENT_ID_BASE + ticketId * SLOT + k;
      let body: string;
      let authorId: number;
      if (role === ROLE_REQUESTER) {
        authorId = req ? req.id : this.agentAt(0).id;
        const extra: string[] = [];
        if (k === asideComment) {
          extra.push(render(crng.pick((PLANTED_PROBLEMS[this.secondary[idx] as number] as PlantedProblemSpec).aside), ctx, crng));
        }
        let piiSentence = '';
        if (k === piiComment) {
          for (const kindOfPii of piiKinds) {
            const planted = this.plantPii(kindOfPii, crng, req, org);
            piiSentence = sentences(piiSentence, planted.sentence);
            pii.push({ ticketId, commentId, kind: kindOfPii, value: planted.value });
          }
        }
        if (k === 0) {
          body = this.describe(problem, topic, ctx, crng, terse, extra, piiSentence, customerStyle);
        } else {
          let text: string;
          if (k === lastRequester && resolved) {
            text = render(crng.pick(noise ? noise.closings : (problem?.closings ?? CLOSINGS_AFTER_FIX)), ctx, crng);
          } else if (problem) {
            text = render(pickFresh(crng, crng.chance(0.7) ? problem.followUps : GENERIC_FOLLOWUPS, used), ctx, crng);
          } else {
            text = render(pickFresh(crng, (noise as NoiseSpec).followUps, used), ctx, crng);
          }
          body = paragraphs(customerStyle(sentences(text, ...extra.map(customerStyle))), piiSentence, crng.chance(0.5) ? render(crng.pick(SIGNOFFS), ctx, crng) : '');
        }
      } else {
        const agent = this.agentAt(this.cAgent[c] as number);
        authorId = agent.id;
        const agentFirst = firstName(agent.name);
        const actx: SlotResolver = (name) => (name === 'agent' ? agentFirst : ctx(name));
        if (role === ROLE_AGENT) {
          const firstAgentReply = !answered;
          answered = true;
          const template = pickFresh(crng, topic?.replies && firstAgentReply ? topic.replies : spec.agentReplies, used);
          const reply = render(template, actx, crng);
          const opener = template.includes('{first}') ? '' : render(crng.pick(GENERIC_AGENT_OPENERS), actx, crng);
          body = paragraphs(opener, reply, render(crng.pick(GENERIC_AGENT_SIGNOFFS), actx, crng));
        } else {
          const pool = problem && crng.chance(0.75) ? problem.internalNotes : GENERIC_INTERNAL_NOTES;
          body = render(pickFresh(crng, pool, used), actx, crng);
        }
      }
      comments.push(this.commentJson(ticketId, commentId, k, authorId, role, body, null, role !== ROLE_INTERNAL, this.cTime[c] as number, channel, req, crng));
    }

    // Comments added through the mutation API
    for (const extra of this.extraComments.get(idx) ?? []) {
      const k = Math.round((extra.id - COMMENT_ID_BASE) % SLOT);
      const erng = Rng.of(this.seed, TAG_TEXT, idx, k + 1);
      const role = extra.role === 'requester' ? ROLE_REQUESTER : extra.role === 'agent' ? ROLE_AGENT : ROLE_INTERNAL;
      const built = this.commentJson(ticketId, extra.id, k, extra.authorId, role, extra.body, extra.htmlBody, extra.public, extra.createdAt, 'api', req, erng);
      if (extra.type) built.type = extra.type;
      if (extra.data) built.data = extra.data;
      if (extra.via) built.via = extra.via;
      comments.push(built);
    }

    // Privacy changes: the comments API shows the current visibility.
    for (const comment of comments) {
      const change = this.privacy.get(comment.id);
      if (change) comment.public = change.current;
    }

    // Redactions
    for (const comment of comments) {
      const reds = this.redactions.get(comment.id);
      if (!reds) continue;
      for (const r of reds) {
        const mask = '▇'.repeat(r.text.length);
        comment.body = comment.body.split(r.text).join(mask);
        comment.plain_body = plainOf(comment.body);
        comment.html_body = toHtml(comment.body);
      }
    }

    const patch = this.patches.get(idx) ?? {};
    const priority: ZendeskPriority = rng.chance(0.12) ? null : (problem ? rng.pick(problem.priorities) : rng.pick(['normal', 'low', 'normal'] as const));
    const type: ZendeskTicketType = problem
      ? problem.issueType === 'feature_request'
        ? 'task'
        : rng.pick(['incident', 'problem', 'question', null] as const)
      : rng.pick(['question', 'question', 'task', null] as const);
    const tags = new Set<string>(spec.tags);
    if (org) tags.add(`plan_${org.plan}`);
    if (problem && rng.chance(0.3)) tags.add('escalated');
    if (rng.chance(0.15)) tags.add('vip');
    const areaValue = rng.chance(0.3) ? null : (AREA_TAG[spec.area] ?? null);
    if (areaValue) tags.add(areaValue);
    const jiraMention = comments.find((c) => !c.public && /[A-Z]+-\d+/.test(c.body));
    const custom: ZendeskCustomFieldValue[] = [
      { id: CUSTOM_FIELD_IDS.productArea, value: areaValue },
      { id: CUSTOM_FIELD_IDS.plan, value: org ? `plan_${org.plan}` : null },
      { id: CUSTOM_FIELD_IDS.appVersion, value: problem?.area === 'mobile_app' || channel === 'mobile' ? (ctx('appver') as string) : null },
      { id: CUSTOM_FIELD_IDS.affectedUsers, value: problem && rng.chance(0.5) ? rng.int(1, 400) : null },
      { id: CUSTOM_FIELD_IDS.escalated, value: tags.has('escalated') },
      { id: CUSTOM_FIELD_IDS.jiraKey, value: jiraMention ? ((/[A-Z]+-\d+/.exec(jiraMention.body) as RegExpExecArray)[0]) : null },
    ];
    const resolvedScore = resolved ? rng.pick(['good', 'good', 'good', 'bad', 'offered', 'unoffered'] as const) : 'unoffered';
    const satisfaction = resolvedScore === 'bad' ? { score: resolvedScore, comment: 'Took too long to fix.' } : { score: resolvedScore };
    const groupId = noise
      ? noise.area === 'billing'
        ? GROUP_IDS.billing
        : GROUP_IDS.tier1
      : tags.has('escalated')
        ? GROUP_IDS.engineering
        : problem?.area === 'billing'
          ? GROUP_IDS.billing
          : GROUP_IDS.tier2;
    const description = comments[0]?.body ?? '';
    const requesterId = req ? req.id : this.agentAt(0).id;
    const ticket: ZendeskTicket = {
      url: `${this.baseUrl}/api/v2/tickets/${ticketId}.json`,
      id: ticketId,
      external_id: null,
      via: this.via(channel, req, true),
      created_at: isoSeconds(this.createdAt[idx] as number),
      updated_at: isoSeconds(this.updatedAt[idx] as number),
      generated_timestamp: this.gts[idx] as number,
      type,
      subject,
      raw_subject: subject,
      description,
      priority,
      status: STATUS_CODES[status] as ZendeskTicketStatus,
      recipient: channel === 'email' ? `support@${this.subdomain}-analytics.example.com` : null,
      requester_id: requesterId,
      submitter_id: requesterId,
      assignee_id: assignee ? assignee.id : null,
      organization_id: org ? org.id : null,
      group_id: assignee ? groupId : null,
      collaborator_ids: [],
      follower_ids: [],
      email_cc_ids: [],
      forum_topic_id: null,
      problem_id: null,
      has_incidents: false,
      is_public: true,
      due_at: null,
      tags: [...tags].sort(),
      custom_fields: custom,
      fields: custom,
      satisfaction_rating: satisfaction,
      sharing_agreement_ids: [],
      followup_ids: [],
      ticket_form_id: TICKET_FORM_ID,
      brand_id: BRAND_IDS[org ? org.brand : 0],
      allow_channelback: false,
      allow_attachments: true,
      from_messaging_channel: channel === 'chat',
    };
    Object.assign(ticket, patch);
    if (patch.custom_fields) ticket.fields = patch.custom_fields;
    if (patch.subject) ticket.raw_subject = patch.subject;
    ticket.status = STATUS_CODES[status] as ZendeskTicketStatus;
    if (this.mergedInto.has(idx) && !ticket.tags.includes('closed_by_merge')) ticket.tags = [...ticket.tags, 'closed_by_merge'].sort();
    if (this.scrubbed.has(idx)) {
      // What exports return for a permanently deleted ticket: the text and people are scrubbed.
      Object.assign(ticket, { subject: 'SCRUBBED', raw_subject: 'SCRUBBED', description: 'X', tags: [], recipient: null, external_id: null });
      ticket.custom_fields = ticket.custom_fields.map((f) => ({ id: f.id, value: null }));
      ticket.fields = ticket.custom_fields;
      return { ticket, comments: [], pii: [] };
    }
    return { ticket, comments, pii };
  }

  private describe(
    problem: PlantedProblemSpec | null,
    topic: NoiseTopic | null,
    ctx: SlotResolver,
    rng: Rng,
    terse: boolean,
    extra: string[],
    piiSentence: string,
    style: (s: string) => string,
  ): string {
    const greeting = render(rng.pick(GREETINGS), ctx, rng);
    const signoff = render(rng.pick(SIGNOFFS), ctx, rng);
    if (problem) {
      const symptom = render(rng.pick(problem.symptoms), ctx, rng);
      if (terse) return paragraphs(style(sentences(symptom, ...extra)), piiSentence);
      const detail = rng.chance(0.65) ? render(rng.pick(problem.details), ctx, rng) : '';
      const detail2 = rng.chance(0.2) ? render(rng.pick(problem.details), ctx, rng) : '';
      const impact = rng.chance(0.5) ? render(rng.pick(problem.impacts), ctx, rng) : '';
      const ask = render(rng.pick(problem.asks ?? ASKS), ctx, rng);
      const body = rng.chance(0.5)
        ? paragraphs(style(sentences(symptom, detail, detail2 !== detail ? detail2 : '')), style(sentences(impact, ...extra, ask)))
        : paragraphs(style(sentences(symptom, detail, impact, ...extra, ask)));
      return paragraphs(style(greeting), body, piiSentence, signoff);
    }
    const body = render(rng.pick((topic as NoiseTopic).bodies), ctx, rng);
    if (terse) return paragraphs(style(body), piiSentence);
    return paragraphs(style(greeting), style(body), piiSentence, signoff);
  }

  private plantPii(kind: PiiKind, rng: Rng, req: EndUserRec | null, org: OrgRec | null): { sentence: string; value: string } {
    switch (kind) {
      case 'email': {
        const first = rng.pick(FIRST_NAMES);
        const last = rng.pick(LAST_NAMES);
        const domain = org ? org.domain : 'mail.example.com';
        const value = `${slug(first, '.')}.${slug(last, '.')}@${domain}`;
        const sentence = rng.pick([
          `Please also copy my colleague ${first} at ${value} on replies.`,
          `You can reach our IT admin at ${value} if you need access details.`,
          `If I'm out, contact ${value}.`,
        ]);
        return { sentence, value };
      }
      case 'phone': {
        const value = rng.pick([
          `+1 (415) 555-${String(rng.int(100, 9999)).padStart(4, '0')}`,
          `+44 20 7946 ${String(rng.int(0, 9999)).padStart(4, '0')}`,
          `+49 30 ${rng.int(1000, 9999)} ${rng.int(1000, 9999)}`,
          `(212) 555-${String(rng.int(100, 9999)).padStart(4, '0')}`,
          `+61 2 9${rng.int(100, 999)} ${rng.int(1000, 9999)}`,
        ]);
        const sentence = rng.pick([
          `Feel free to call me on ${value}.`,
          `My direct line is ${value} if that's easier.`,
          `Call me at ${value}, I'm at my desk all afternoon.`,
        ]);
        return { sentence, value };
      }
      case 'card': {
        const digits = luhnCard(rng);
        const value = rng.chance(0.5) ? digits.replace(/(\d{4})(?=\d)/g, '$1 ') : digits;
        const sentence = rng.pick([
          `The card that was charged is ${value}, expiry ${rng.int(1, 12)}/${rng.int(26, 30)}.`,
          `Our company card number is ${value} in case you need it to find the payment.`,
          `It was charged to card ${value}.`,
        ]);
        return { sentence, value };
      }
      case 'ip': {
        const value = `${rng.pick(['203.0.113', '198.51.100', '192.0.2'])}.${rng.int(2, 254)}`;
        const sentence = rng.pick([
          `Our office IP is ${value} in case you need to check the logs.`,
          `The requests come from ${value}.`,
          `We connect through our VPN at ${value}.`,
        ]);
        void req;
        return { sentence, value };
      }
    }
  }

  private via(channel: string, req: EndUserRec | null, ticketLevel: boolean): ZendeskVia {
    if (channel === 'email' && ticketLevel) {
      return {
        channel: 'email',
        source: {
          from: req ? { address: req.email, name: req.name } : {},
          to: { address: `support@${this.subdomain}-analytics.example.com`, name: PRODUCT_NAME },
          rel: null,
        },
      };
    }
    return { channel, source: { from: {}, to: {}, rel: null } };
  }

  private commentJson(
    ticketId: number,
    commentId: number,
    k: number,
    authorId: number,
    role: number,
    body: string,
    htmlBody: string | null,
    isPublic: boolean,
    createdAt: number,
    channel: string,
    req: EndUserRec | null,
    rng: Rng,
  ): ThreadComment {
    const isCustomer = role === ROLE_REQUESTER;
    const city = isCustomer ? rng.pick(['Berlin, BE, Germany', 'New York, NY, United States', 'London, ENG, United Kingdom', 'Sydney, NSW, Australia', 'Toronto, ON, Canada', 'Singapore']) : 'Dublin, L, Ireland';
    return {
      id: commentId,
      type: 'Comment',
      author_id: authorId,
      body,
      html_body: htmlBody ?? toHtml(body),
      plain_body: plainOf(body),
      public: isPublic,
      attachments: [],
      audit_id: AUDIT_ID_BASE + ticketId * SLOT + k,
      via: isCustomer ? this.via(k === 0 ? channel : 'email', req, true) : { channel: 'web', source: { from: {}, to: {}, rel: null } },
      metadata: {
        system: {
          client: isCustomer ? 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36' : 'Zendesk Agent Workspace',
          ip_address: isCustomer ? `198.51.100.${(authorId % 250) + 2}` : '192.0.2.10',
          location: city,
          latitude: null,
          longitude: null,
        },
        custom: {},
      },
      created_at: isoSeconds(createdAt),
      role: role === ROLE_REQUESTER ? 'requester' : role === ROLE_AGENT ? 'agent' : 'internal',
    };
  }

  // -------------------------------------------------------------------------------------------
  // Mutations (for tests)
  // -------------------------------------------------------------------------------------------

  private nowSec(): number {
    return Math.max(Math.floor(this.clock.now() / 1000), this.maxGts);
  }

  private requireIdx(ticketId: number): number {
    const idx = this.idxOf(ticketId);
    if (idx < 0) throw new Error(`No ticket ${ticketId}`);
    return idx;
  }

  /** Marks a ticket changed now: new updated_at / generated_timestamp and a new export position. */
  private bump(idx: number, updated = true): number {
    const t = this.nowSec();
    if (updated) this.updatedAt[idx] = t;
    this.gts[idx] = t;
    this.seq[idx] = this.nextSeq++;
    this.maxGts = t;
    this.orderDirty = true;
    this.invalidate(idx);
    return t;
  }

  /** System updates: bumps generated_timestamp (and updated_at) without changing content. */
  touchTickets(ticketIds: Iterable<number>): void {
    for (const id of ticketIds) this.bump(this.requireIdx(id));
  }

  /** Overwrites ticket fields and records an audit event with the changes. */
  updateTicket(ticketId: number, patch: TicketPatch): ZendeskTicket {
    const idx = this.requireIdx(ticketId);
    const before = this.getTicket(ticketId) as ZendeskTicket;
    const merged: TicketPatch = { ...(this.patches.get(idx) ?? {}), ...patch };
    delete merged.status;
    this.patches.set(idx, merged);
    if (patch.status) {
      const code = STATUS_CODES.indexOf(patch.status);
      if (code < 0) throw new Error(`Unknown status ${patch.status}`);
      this.status[idx] = code;
    }
    const t = this.bump(idx);
    const children: ZendeskChildEvent[] = [];
    for (const [field, value] of Object.entries(patch)) {
      children.push({
        id: this.childId(),
        event_type: 'Change',
        type: 'Change',
        field_name: field,
        value: value as unknown,
        previous_value: (before as unknown as Record<string, unknown>)[field] ?? null,
      });
    }
    this.pushEvent(idx, t, this.agentAt(0).id, children);
    return this.getTicket(ticketId) as ZendeskTicket;
  }

  /** Appends a comment (public reply or internal note) dated now and bumps the ticket. */
  addComment(ticketId: number, comment: NewComment): ZendeskComment {
    const idx = this.requireIdx(ticketId);
    const list = this.extraComments.get(idx) ?? [];
    const k = (this.commentCount[idx] as number) + list.length;
    if (k >= MAX_COMMENTS) throw new Error(`Ticket ${ticketId} already has ${MAX_COMMENTS} comments`);
    const isPublic = comment.public ?? true;
    const req = this.requesterRec(idx);
    const authorId = comment.author_id ?? (isPublic && req ? req.id : this.agentAt(Math.max(0, this.assignee[idx] as number)).id);
    const isAgentAuthor = authorId <= USER_ID_BASE + this.agents.length;
    const t = comment.created_at_ms !== undefined ? Math.floor(comment.created_at_ms / 1000) : this.nowSec();
    const stored: StoredComment = {
      id: COMMENT_ID_BASE + ticketId * SLOT + k,
      authorId,
      role: !isPublic ? 'internal' : isAgentAuthor ? 'agent' : 'requester',
      body: comment.body,
      htmlBody: comment.html_body ?? null,
      public: isPublic,
      createdAt: t,
    };
    list.push(stored);
    this.extraComments.set(idx, list);
    this.bump(idx);
    this.evDirty = true;
    const built = this.getComments(ticketId).find((c) => c.id === stored.id) as ThreadComment;
    return stripRole(built);
  }

  /**
   * Like Zendesk's comment redaction: replaces `text` in the comment with ▇ characters and bumps
   * the ticket so a re-sync sees the new text.
   */
  redactCommentText(ticketId: number, commentId: number, text: string): ZendeskComment {
    const idx = this.requireIdx(ticketId);
    const comment = this.getComments(ticketId).find((c) => c.id === commentId);
    if (!comment) throw new Error(`No comment ${commentId} on ticket ${ticketId}`);
    const list = this.redactions.get(commentId) ?? [];
    list.push({ text });
    this.redactions.set(commentId, list);
    const t = this.bump(idx);
    this.pushEvent(idx, t, this.agentAt(0).id, [
      { id: this.childId(), event_type: 'CommentRedactionEvent', type: 'CommentRedactionEvent', comment_id: commentId },
    ]);
    return stripRole(this.getComments(ticketId).find((c) => c.id === commentId) as ThreadComment);
  }

  /**
   * A call logged on the ticket, like Zendesk Talk: a `VoiceComment` (or `TpeVoiceComment` for Talk Partner
   * Edition) whose `body` holds the call summary and transcription and whose `data` holds the call's details.
   */
  addVoiceComment(
    ticketId: number,
    call: { transcript: string; public?: boolean; author_id?: number; type?: 'VoiceComment' | 'TpeVoiceComment'; durationSec?: number },
  ): ZendeskComment {
    const idx = this.requireIdx(ticketId);
    const req = this.requesterRec(idx);
    const durationSec = call.durationSec ?? 245;
    const body = `Inbound call from +1 (415) 555-0134\nCall duration: ${Math.floor(durationSec / 60)}m ${durationSec % 60}s\n\nTranscription:\n${call.transcript}`;
    const added = this.addComment(ticketId, { body, public: call.public ?? false, author_id: call.author_id ?? this.agentAt(Math.max(0, this.assignee[idx] as number)).id });
    const stored = (this.extraComments.get(idx) as StoredComment[]).find((c) => c.id === added.id) as StoredComment;
    stored.type = call.type ?? 'VoiceComment';
    stored.data = {
      from: '+14155550134',
      to: '+14155550100',
      recording_url: `${this.baseUrl}/api/v2/channels/voice/calls/${stored.id}/twilio/call/recording`,
      call_id: stored.id,
      call_duration: durationSec,
      answered_by_id: stored.authorId,
      transcription_text: call.transcript,
      transcription_status: 'completed',
      started_at: isoSeconds(stored.createdAt),
      location: req ? 'San Francisco, California, United States' : null,
      outbound: false,
    };
    stored.via = { channel: 'voice', source: { from: { formatted_phone: '+1 (415) 555-0134', phone: '+14155550134' }, to: { formatted_phone: '+1 (415) 555-0100', phone: '+14155550100' }, rel: 'inbound' } };
    this.invalidate(idx);
    return stripRole(this.getComments(ticketId).find((c) => c.id === added.id) as ThreadComment);
  }

  /**
   * Makes a comment internal (`public: false`) or public again, as an agent does after posting: a
   * `CommentPrivacyChange` audit event; the comments API shows the new visibility, the comment's own event keeps
   * the visibility it was posted with.
   */
  setCommentPublic(ticketId: number, commentId: number, isPublic: boolean): void {
    const idx = this.requireIdx(ticketId);
    const comment = this.getComments(ticketId).find((c) => c.id === commentId);
    if (!comment) throw new Error(`No comment ${commentId} on ticket ${ticketId}`);
    const before = this.privacy.get(commentId);
    this.privacy.set(commentId, { original: before ? before.original : comment.public, current: isPublic });
    const t = this.bump(idx);
    this.pushEvent(idx, t, this.agentAt(0).id, [
      { id: this.childId(), event_type: 'CommentPrivacyChange', type: 'CommentPrivacyChange', comment_id: commentId, public: isPublic },
    ]);
  }

  /**
   * Merges tickets into a target, like Zendesk: each source is closed with the tag `closed_by_merge` and a comment
   * whose `via.source` is `{rel: "merge", to: {ticket_id: target}}`; the target gets a comment per source and its
   * merge audit lists `merged_ticket_ids`.
   */
  mergeTickets(sourceIds: number[], targetId: number): void {
    const tIdx = this.requireIdx(targetId);
    const target = this.getTicket(targetId) as ZendeskTicket;
    for (const sourceId of sourceIds) {
      const sIdx = this.requireIdx(sourceId);
      if (sourceId === targetId) throw new Error('A ticket cannot be merged into itself');
      const source = this.getTicket(sourceId) as ZendeskTicket;
      this.mergedInto.set(sIdx, targetId);
      this.addComment(sourceId, { body: `This request was closed and merged into request #${targetId} "${target.subject}".`, public: true, author_id: this.agentAt(0).id });
      const list = this.extraComments.get(sIdx) as StoredComment[];
      (list[list.length - 1] as StoredComment).via = { channel: 'web', source: { from: {}, to: { ticket_id: targetId, subject: target.subject }, rel: 'merge' } };
      this.status[sIdx] = S.closed;
      this.invalidate(sIdx);
      this.addComment(targetId, { body: `Request #${sourceId} "${source.subject}" was closed and merged into this request.`, public: true, author_id: this.agentAt(0).id });
      const tList = this.extraComments.get(tIdx) as StoredComment[];
      const merged = tList[tList.length - 1] as StoredComment;
      merged.via = { channel: 'web', source: { from: { ticket_id: sourceId, subject: source.subject, ticket_ids: [sourceId] }, to: {}, rel: 'merge' } };
      merged.mergedTicketIds = [sourceId];
      this.invalidate(tIdx);
    }
  }

  /** The ticket a merged ticket was merged into (null if not merged). */
  mergedTargetOf(ticketId: number): number | null {
    return this.mergedInto.get(this.requireIdx(ticketId)) ?? null;
  }

  /**
   * Permanently deletes a ticket: it stays in exports with status "deleted", scrubbed (subject `SCRUBBED`,
   * description `X`, no tags or field values); its comments answer 404.
   */
  scrubTicket(ticketId: number): void {
    const idx = this.requireIdx(ticketId);
    if (this.status[idx] !== S.deleted) this.deleteTicket(ticketId);
    this.scrubbed.add(idx);
    this.bump(idx);
  }

  isScrubbed(ticketId: number): boolean {
    const idx = this.idxOf(ticketId);
    return idx >= 0 && this.scrubbed.has(idx);
  }

  /** Soft-deletes a ticket: it stays in exports with status "deleted"; its comments answer 404. */
  deleteTicket(ticketId: number): void {
    const idx = this.requireIdx(ticketId);
    const previous = STATUS_CODES[this.status[idx] as number];
    this.status[idx] = S.deleted;
    const t = this.bump(idx);
    this.pushEvent(idx, t, this.agentAt(0).id, [
      { id: this.childId(), event_type: 'Change', type: 'Change', field_name: 'status', value: 'deleted', previous_value: previous },
    ]);
  }

  /** Restores a deleted ticket to `open`. */
  restoreTicket(ticketId: number): void {
    this.updateTicket(ticketId, { status: 'open' });
  }

  /** Creates `count` new tickets dated now (status new, one comment); returns their ids. */
  addTickets(count: number): number[] {
    const start = this.n;
    this.ensureTicketCapacity(start + count);
    const weights = this.kindWeights();
    const ids: number[] = [];
    for (let j = 0; j < count; j++) {
      const idx = start + j;
      const draw = Rng.of(this.seed, TAG_FRESH, idx, 0);
      const kind = this.kindFromDraw(draw.weighted(weights));
      const t = this.nowSec();
      this.structureTicket(idx, kind, t, true);
      this.n = idx + 1;
      this.gts[idx] = t;
      this.updatedAt[idx] = t;
      this.seq[idx] = this.nextSeq++;
      this.maxGts = t;
      ids.push(this.firstTicketId + idx);
    }
    this.orderDirty = true;
    this.evDirty = true;
    return ids;
  }

  private childSeq = 0;
  private childId(): number {
    return CHILD_ID_BASE + 9_000_000_000 + ++this.childSeq;
  }

  private pushEvent(idx: number, ts: number, updaterId: number, children: ZendeskChildEvent[]): void {
    this.extraEvents.push({ ts, idx, auditId: EXTRA_AUDIT_BASE + this.extraEvents.length + 1, updaterId, children });
    this.evDirty = true;
  }

  // -------------------------------------------------------------------------------------------
  // Export order
  // -------------------------------------------------------------------------------------------

  private ensureOrder(): void {
    if (!this.orderDirty && this.order.length === this.n) return;
    const bySeq = new Int32Array(this.nextSeq).fill(-1);
    for (let i = 0; i < this.n; i++) bySeq[this.seq[i] as number] = i;
    const order = new Int32Array(this.n);
    let p = 0;
    for (let s = 0; s < bySeq.length; s++) {
      const idx = bySeq[s] as number;
      if (idx >= 0) order[p++] = idx;
    }
    this.order = order;
    this.orderDirty = false;
  }

  /** Tickets in export order (seq) from position `from`: index into the order. */
  exportOrder(): { order: Int32Array; seq: Float64Array; gts: Float64Array } {
    this.ensureOrder();
    return { order: this.order, seq: this.seq, gts: this.gts };
  }

  /** First position in export order whose generated_timestamp is ≥ t (unix seconds). */
  positionAtTime(t: number): number {
    this.ensureOrder();
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.gts[this.order[mid] as number] as number) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First position in export order whose seq is > s. */
  positionAfterSeq(s: number): number {
    this.ensureOrder();
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.seq[this.order[mid] as number] as number) <= s) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Ticket id and seq at an export position. */
  atPosition(pos: number): { ticketId: number; seq: number; gts: number } {
    this.ensureOrder();
    const idx = this.order[pos] as number;
    return { ticketId: this.firstTicketId + idx, seq: this.seq[idx] as number, gts: this.gts[idx] as number };
  }

  // -------------------------------------------------------------------------------------------
  // Ticket events (for the incremental ticket event export)
  // -------------------------------------------------------------------------------------------

  private ensureEvents(): void {
    if (!this.evDirty) return;
    let total = this.extraEvents.length;
    for (let i = 0; i < this.n; i++) {
      total += (this.commentCount[i] as number) + (this.extraComments.get(i)?.length ?? 0);
      if ((this.solvedAt[i] as number) > 0) total++;
      if ((this.closedAt[i] as number) > 0) total++;
      if (((this.flags[i] as number) & 4) === 4) total++;
    }
    const ts = new Float64Array(total);
    const ix = new Int32Array(total);
    const kd = new Int32Array(total);
    let p = 0;
    for (let i = 0; i < this.n; i++) {
      const start = this.commentStart[i] as number;
      const count = this.commentCount[i] as number;
      for (let k = 0; k < count; k++) {
        ts[p] = this.cTime[start + k] as number;
        ix[p] = i;
        kd[p++] = k;
      }
      const extra = this.extraComments.get(i);
      if (extra) {
        for (let j = 0; j < extra.length; j++) {
          ts[p] = (extra[j] as StoredComment).createdAt;
          ix[p] = i;
          kd[p++] = count + j;
        }
      }
      if ((this.solvedAt[i] as number) > 0) {
        ts[p] = this.solvedAt[i] as number;
        ix[p] = i;
        kd[p++] = -1;
      }
      if ((this.closedAt[i] as number) > 0) {
        ts[p] = this.closedAt[i] as number;
        ix[p] = i;
        kd[p++] = -2;
      }
      if (((this.flags[i] as number) & 4) === 4) {
        ts[p] = this.updatedAt[i] as number;
        ix[p] = i;
        kd[p++] = -3;
      }
    }
    for (let j = 0; j < this.extraEvents.length; j++) {
      const e = this.extraEvents[j] as ExtraEvent;
      ts[p] = e.ts;
      ix[p] = e.idx;
      kd[p++] = -10 - j;
    }
    const perm = new Int32Array(total);
    for (let i = 0; i < total; i++) perm[i] = i;
    perm.sort((a, b) => (ts[a] as number) - (ts[b] as number) || (ix[a] as number) - (ix[b] as number) || kindRank(kd[a] as number) - kindRank(kd[b] as number));
    this.evTs = new Float64Array(total);
    this.evIdx = new Int32Array(total);
    this.evKind = new Int32Array(total);
    for (let q = 0; q < total; q++) {
      const src = perm[q] as number;
      this.evTs[q] = ts[src] as number;
      this.evIdx[q] = ix[src] as number;
      this.evKind[q] = kd[src] as number;
    }
    this.evCount = total;
    this.evDirty = false;
  }

  get eventCount(): number {
    this.ensureEvents();
    return this.evCount;
  }

  /** First event position with timestamp ≥ t. */
  eventPositionAtTime(t: number): number {
    this.ensureEvents();
    let lo = 0;
    let hi = this.evCount;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.evTs[mid] as number) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  eventTimestampAt(pos: number): number {
    this.ensureEvents();
    return this.evTs[pos] as number;
  }

  /** The audit at an event position, shaped like Zendesk's ticket event export. */
  eventAt(pos: number, includeComments: boolean): ZendeskTicketEvent {
    this.ensureEvents();
    const idx = this.evIdx[pos] as number;
    const kd = this.evKind[pos] as number;
    const ts = this.evTs[pos] as number;
    const ticketId = this.firstTicketId + idx;
    const channel = CHANNELS[this.channel[idx] as number] as string;
    const base = {
      ticket_id: ticketId,
      timestamp: ts,
      created_at: isoSeconds(ts),
      event_type: 'Audit' as const,
      merged_ticket_ids: [] as number[],
      system: { client: 'Mozilla/5.0', location: null, latitude: null, longitude: null },
    };
    if (kd <= -10) {
      const e = this.extraEvents[-10 - kd] as ExtraEvent;
      return { ...base, id: e.auditId, updater_id: e.updaterId, via: 'Web service', child_events: e.children.map((c) => ({ ...c })) };
    }
    if (kd === -3) {
      return {
        ...base,
        id: AUDIT_ID_BASE + ticketId * SLOT + 9_003,
        updater_id: this.agentAt(0).id,
        via: 'Web form',
        child_events: [
          { id: CHILD_ID_BASE + ticketId * SLOT + 9_003, event_type: 'Change', type: 'Change', field_name: 'status', value: 'deleted', previous_value: 'solved' },
        ],
      };
    }
    if (kd < 0) {
      const assignee = this.agentAt(Math.max(0, this.assignee[idx] as number));
      const closing = kd === -2;
      return {
        ...base,
        id: AUDIT_ID_BASE + ticketId * SLOT + 9_000 + (closing ? 2 : 1),
        updater_id: closing ? -1 : assignee.id,
        via: closing ? 'Rule' : 'Web form',
        child_events: [
          {
            id: CHILD_ID_BASE + ticketId * SLOT + 9_000 + (closing ? 2 : 1),
            event_type: 'Change',
            type: 'Change',
            via: { channel: closing ? 'rule' : 'web', source: { from: {}, to: {}, rel: null } },
            via_reference_id: null,
            field_name: 'status',
            value: closing ? 'closed' : 'solved',
            previous_value: closing ? 'solved' : 'open',
          },
        ],
      };
    }
    const comment = this.getComments(ticketId)[kd] as ThreadComment;
    const children: ZendeskChildEvent[] = [];
    const childBase = CHILD_ID_BASE + ticketId * SLOT + kd * 4;
    if (includeComments) {
      // Comment events carry body and html_body but no plain_body (unlike the comments API), and the visibility
      // the comment was posted with (a later CommentPrivacyChange event changes it).
      const change = this.privacy.get(comment.id);
      children.push({
        id: comment.id,
        event_type: comment.type,
        type: comment.type,
        via: comment.via,
        via_reference_id: null,
        author_id: comment.author_id,
        body: comment.body,
        html_body: comment.html_body,
        public: change ? change.original : comment.public,
        ...(comment.data ? { data: comment.data } : {}),
        attachments: [],
        audit_id: comment.audit_id,
        created_at: comment.created_at,
      });
    }
    const extra = kd >= (this.commentCount[idx] as number) ? this.extraComments.get(idx)?.[kd - (this.commentCount[idx] as number)] : undefined;
    if (extra?.mergedTicketIds) base.merged_ticket_ids = [...extra.mergedTicketIds];
    if (kd === 0) {
      const ticket = this.getTicket(ticketId) as ZendeskTicket;
      children.push(
        { id: childBase + 1, event_type: 'Create', type: 'Create', field_name: 'subject', value: ticket.subject },
        { id: childBase + 2, event_type: 'Create', type: 'Create', field_name: 'status', value: 'new' },
        { id: childBase + 3, event_type: 'Create', type: 'Create', field_name: 'requester_id', value: String(ticket.requester_id) },
      );
    }
    return {
      ...base,
      id: comment.audit_id,
      updater_id: comment.author_id,
      via: kd === 0 ? (EVENT_VIA[channel] ?? 'Web form') : comment.role === 'requester' ? 'Mail' : 'Web form',
      child_events: children,
    };
  }

  // -------------------------------------------------------------------------------------------
  // Whole-dataset helpers
  // -------------------------------------------------------------------------------------------

  /** Iterates all tickets ascending by id (rendering each; keep only what you need). */
  *iterateThreads(options: { includeDeleted?: boolean } = {}): Generator<TicketThread> {
    for (let i = 0; i < this.n; i++) {
      if (!options.includeDeleted && this.status[i] === S.deleted) continue;
      const cached = this.cache.get(i);
      yield cached ?? this.buildThread(i);
    }
  }

  /** sha256 over every ticket, comment, user and organization: equal for equal datasets. */
  fingerprint(): string {
    const h = createHash('sha256');
    for (const t of this.iterateThreads({ includeDeleted: true })) {
      h.update(JSON.stringify(t.ticket));
      h.update(JSON.stringify(t.comments));
    }
    h.update(JSON.stringify(this.users()));
    h.update(JSON.stringify(this.organizations()));
    return h.digest('hex');
  }

  /** Cheap per-ticket facts for filtering (search) without rendering text. */
  ticketFacts(ticketId: number): { status: ZendeskTicketStatus; createdAt: number; updatedAt: number; organizationId: number | null; requesterId: number | null } | null {
    const idx = this.idxOf(ticketId);
    if (idx < 0) return null;
    const req = this.requesterRec(idx);
    const patched = this.patches.get(idx)?.organization_id;
    return {
      status: STATUS_CODES[this.status[idx] as number] as ZendeskTicketStatus,
      createdAt: this.createdAt[idx] as number,
      updatedAt: this.updatedAt[idx] as number,
      organizationId: patched !== undefined ? patched : req && req.orgIdx >= 0 ? (this.orgs[req.orgIdx] as OrgRec).id : null,
      requesterId: req ? req.id : null,
    };
  }
}

const SLOT_INDEX: Record<string, number> = Object.fromEntries(Object.keys(SLOT_POOLS).map((k, i) => [k, i + 1]));

function firstName(full: string): string {
  return full.split(' ')[0] as string;
}

const PROBLEM_INDEX: Record<string, number> = Object.fromEntries(PLANTED_PROBLEMS.map((p, i) => [p.id, i]));

/** Picks an item not used yet in this thread when possible (a few tries), and marks it used. */
function pickFresh(rng: Rng, pool: readonly string[], used: Set<string>): string {
  let choice = rng.pick(pool);
  for (let i = 0; i < 4 && used.has(choice); i++) choice = rng.pick(pool);
  used.add(choice);
  return choice;
}

function kindRank(k: number): number {
  // comments first (by index), then solve, close, then test-made events
  if (k >= 0) return k;
  if (k === -1) return 100_000;
  if (k === -2) return 100_001;
  if (k === -3) return 100_002;
  return 200_000 - k;
}

function stripRole(c: ThreadComment): ZendeskComment {
  const { role: _role, ...rest } = c;
  void _role;
  return rest;
}

/**
 * Zendesk's `plain_body`: the text without its Markdown formatting (`**bold**`, `_em_`, `` `code` ``, links as their
 * label). `body` keeps it. Text without Markdown is unchanged.
 */
export function plainOf(body: string): string {
  return body
    .replace(/\[([^\]]+)\]\((https?:[^)\s]+)\)/g, '$1')
    .replace(/\*\*([^*\n]+)\*\*/g, '$1')
    .replace(/(^|\s)_([^_\n]+)_(?=\s|$|[.,;:!?])/g, '$1$2')
    .replace(/`([^`\n]+)`/g, '$1');
}

/** Removes the simulator-only `role` field from a rendered comment. */
export function toApiComment(c: ThreadComment): ZendeskComment {
  return stripRole(c);
}
