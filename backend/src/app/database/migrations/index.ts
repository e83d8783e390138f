import { Init1764400000000 } from './1764400000000-init';
import { TicketsAndRuns1764400000001 } from './1764400000001-tickets-and-runs';
import { Analysis1764400000002 } from './1764400000002-analysis';
import { ThreadStaging1764400000003 } from './1764400000003-thread-staging';
import { Clusters1764400000004 } from './1764400000004-clusters';
import { AppSettings1764400000005 } from './1764400000005-app-settings';
import { ClusterVerdicts1764400000006 } from './1764400000006-cluster-verdicts';
import { RunChunks1764400000007 } from './1764400000007-run-chunks';
import { ImportUploads1764400000008 } from './1764400000008-import-uploads';
import { RunLeases1764400000009 } from './1764400000009-run-leases';
import { RevokedTokens1764400000010 } from './1764400000010-revoked-tokens';
import { ZendeskOwnedPeople1764400000011 } from './1764400000011-zendesk-owned-people';
import { ZendeskRealShapes1764400000012 } from './1764400000012-zendesk-real-shapes';
import { TicketOriginalIds1764400000013 } from './1764400000013-ticket-original-ids';
import { SsoSessions1764400000020 } from './1764400000020-sso-sessions';
import { Alerts1764400000021 } from './1764400000021-alerts';
import { ExternalIssues1764400000022 } from './1764400000022-external-issues';
import { Accounts1764400000023 } from './1764400000023-accounts';
import { ListIndexes1764400000024 } from './1764400000024-list-indexes';
import { IssueAggregates1764400000025 } from './1764400000025-issue-aggregates';
import { DigestTicksAlertGroups1764400000026 } from './1764400000026-digest-ticks-alert-groups';
import { AnalysisRunTicketIndex1764400000027 } from './1764400000027-analysis-run-ticket-index';
import { RunChunksHaltedIndex1764400000028 } from './1764400000028-run-chunks-halted-index';

/** Every migration, in order. Listed explicitly so the bundled app never globs the file system. */
export const MIGRATIONS = [
  Init1764400000000,
  TicketsAndRuns1764400000001,
  Analysis1764400000002,
  ThreadStaging1764400000003,
  Clusters1764400000004,
  AppSettings1764400000005,
  ClusterVerdicts1764400000006,
  RunChunks1764400000007,
  ImportUploads1764400000008,
  RunLeases1764400000009,
  RevokedTokens1764400000010,
  ZendeskOwnedPeople1764400000011,
  ZendeskRealShapes1764400000012,
  TicketOriginalIds1764400000013,
  SsoSessions1764400000020,
  Alerts1764400000021,
  ExternalIssues1764400000022,
  Accounts1764400000023,
  ListIndexes1764400000024,
  IssueAggregates1764400000025,
  DigestTicksAlertGroups1764400000026,
  AnalysisRunTicketIndex1764400000027,
  RunChunksHaltedIndex1764400000028,
];
