export * from './types';
export * from './clock';
export * from './rate-limit';
export {
  ZendeskDataset,
  ORG_ID_BASE,
  USER_ID_BASE,
  BRAND_IDS,
  BRAND_NAMES,
  CUSTOM_FIELD_IDS,
  toApiComment,
} from './dataset';
export type {
  ZendeskDatasetOptions,
  PiiKind,
  PlantedPii,
  TicketLabel,
  PlantedProblemInfo,
  ThreadComment,
  TicketThread,
} from './dataset';
export {
  ZendeskSimulator,
  DEFAULT_SIM_EMAIL,
  DEFAULT_SIM_API_TOKEN,
  DEFAULT_SIM_OAUTH_TOKEN,
  endpointName,
  parseSearch,
} from './simulator';
export type {
  ZendeskSimulatorOptions,
  SimApiToken,
  SimOAuthToken,
  SimRole,
  FaultKind,
  SimFault,
  SimRequestLogEntry,
  SimStats,
  SimStartResult,
} from './simulator';
export { exportDataset, exportDatasetToFile, exportDatasetToString, toMineInput } from './export';
export type { DatasetExportFormat, DatasetExportOptions, DatasetExportResult, MineInputLine } from './export';
export { PLANTED_PROBLEMS, NOISE_KINDS, PRODUCT_NAME } from './catalog';
export type { PlantedProblemSpec, NoiseSpec, NoiseTopic, ProductArea, PlantedIssueType, PlantedSeverity, Timeline } from './catalog';
export { luhnValid } from './text';
export { mulberry32 } from './prng';
