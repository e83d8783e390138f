import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches, MaxLength } from 'class-validator';
import type { AnalysisMode } from '@app/config/app-config';
import { ANALYSIS_MODES, MODEL_ID, MODEL_ID_MAX } from '../analysis-settings.types';
import { OptionalText } from '@app/common/dto-decorators';

/**
 * Changes the analysis mode and/or model (admins); a field left out keeps its value, `null` goes back to the
 * environment's default (ANALYSIS_MODE / ANALYSIS_MODEL).
 */
export class UpdateAnalysisSettingsRequest {
  /** `realtime`, `batch` (Message Batches, half price) or `auto` (batches from the batch minimum on). */
  @ApiPropertyOptional({ enum: ANALYSIS_MODES, enumName: 'AnalysisMode', nullable: true })
  @IsOptional()
  @IsIn(ANALYSIS_MODES)
  mode?: AnalysisMode | null;

  /** A Claude model id, e.g. `claude-sonnet-4-6`. */
  @ApiPropertyOptional({ type: String, nullable: true })
  @OptionalText()
  @MaxLength(MODEL_ID_MAX)
  @Matches(MODEL_ID, { message: 'model must be a Claude model id such as claude-sonnet-4-6' })
  model?: string | null;
}
