import type { AnalysisMode } from '@app/config/app-config';

export const ANALYSIS_MODES = ['realtime', 'batch', 'auto'] as const satisfies readonly AnalysisMode[];

/** Claude model ids an admin may choose (the API's own check happens at the start of each run). */
export const MODEL_ID = /^claude-[a-z0-9.-]+$/;
export const MODEL_ID_MAX = 100;

/** The `app_setting` key of the analysis overrides. */
export const ANALYSIS_SETTINGS_KEY = 'analysis';

/** What admins stored; a missing field falls back to the environment. */
export interface AnalysisOverrides {
  mode?: AnalysisMode;
  model?: string;
}

/** A change: a value sets the field, `null` removes the admin's choice (back to the environment's default). */
export interface AnalysisSettingsChange {
  mode?: AnalysisMode | null;
  model?: string | null;
}

/** The settings an analysis run uses: the stored override, else the environment's value. */
export interface EffectiveAnalysisSettings {
  mode: AnalysisMode;
  model: string;
  modeSource: 'env' | 'settings';
  modelSource: 'env' | 'settings';
  batchMinimum: number;
}

/** The effective settings with what the console shows beside them. */
export interface AnalysisSettingsView extends EffectiveAnalysisSettings {
  analyzer: 'claude' | 'local';
  apiKeyConfigured: boolean;
  redaction: boolean;
  knownModels: string[];
}
