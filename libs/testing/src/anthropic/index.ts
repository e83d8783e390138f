export {
  AnthropicStub,
  ANTHROPIC_STUB_API_KEY,
  ANTHROPIC_API_VERSION,
  DEFAULT_ANTHROPIC_STUB_MODELS,
  corruptToolInput,
  ticketTextOf,
} from './stub';
export type {
  AnthropicStubClock,
  AnthropicStubModel,
  AnthropicUsage,
  AnthropicToolDefinition,
  AnthropicResponderRequest,
  AnthropicResponder,
  AnthropicTextResponder,
  AnthropicFaultKind,
  AnthropicStubFault,
  AnthropicBatchOutcomeType,
  AnthropicBatchOutcome,
  AnthropicStubRequestRecord,
  AnthropicUsageRecord,
  AnthropicUsageTotals,
  AnthropicStubTotals,
  AnthropicStubViolation,
  AnthropicStubOptions,
} from './types';
export { buildInputFromSchema, findProblemSentences } from './extraction';
export type { ProblemSentence, FindProblemSentencesOptions, SchemaInputOptions } from './extraction';
export { validateJsonSchema } from './json-schema';
export type { AnthropicJsonSchema } from './json-schema';
export { truncateJsonValue } from './partial-json';
export { estimateTokens as estimateAnthropicStubTokens } from './prompt-cache';
