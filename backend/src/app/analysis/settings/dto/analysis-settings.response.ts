import { ApiProperty } from '@nestjs/swagger';
import type { AnalysisMode } from '@app/config/app-config';
import { ANALYSIS_MODES, AnalysisSettingsView } from '../analysis-settings.types';

export class AnalysisSettingsResponse {
  /** `claude` when ANTHROPIC_API_KEY is set, else the offline `local` analyzer. */
  @ApiProperty({ enum: ['claude', 'local'], enumName: 'AnalyzerName' })
  analyzer!: 'claude' | 'local';
  /** Whether ANTHROPIC_API_KEY is set (the key itself is never returned). */
  apiKeyConfigured!: boolean;
  @ApiProperty({ enum: ANALYSIS_MODES, enumName: 'AnalysisMode' })
  mode!: AnalysisMode;
  /** The Claude model the next run uses. */
  model!: string;
  /** Where `model` comes from: `env` (ANALYSIS_MODEL or its default) or `settings` (chosen by an admin). */
  @ApiProperty({
    enum: ['env', 'settings'],
    enumName: 'SettingSource',
    description: 'Where `model` comes from: `env` (ANALYSIS_MODEL or its default) or `settings` (chosen by an admin).',
  })
  modelSource!: 'env' | 'settings';
  /** Where `mode` comes from: `env` (ANALYSIS_MODE or its default) or `settings` (chosen by an admin). */
  @ApiProperty({
    enum: ['env', 'settings'],
    enumName: 'SettingSource',
    description: 'Where `mode` comes from: `env` (ANALYSIS_MODE or its default) or `settings` (chosen by an admin).',
  })
  modeSource!: 'env' | 'settings';
  /** In `auto` mode, runs with at least this many tickets to analyse use Message Batches (ANALYSIS_BATCH_MIN). */
  batchMinimum!: number;
  /** Whether personal data of any kind is replaced by placeholders before text is sent (taxonomy settings). */
  redaction!: boolean;
  /** With Claude: the model ids the Anthropic API offers this key; else the ids (or prefixes) with a known price. */
  knownModels!: string[];

  static from(view: AnalysisSettingsView): AnalysisSettingsResponse {
    const { analyzer, apiKeyConfigured, mode, modeSource, model, modelSource, batchMinimum, redaction, knownModels } =
      view;
    return Object.assign(new AnalysisSettingsResponse(), {
      analyzer,
      apiKeyConfigured,
      mode,
      modeSource,
      model,
      modelSource,
      batchMinimum,
      redaction,
      knownModels,
    });
  }
}
