import { Get, Query } from '@nestjs/common';
import { Roles } from '@app/auth/auth.constants';
import { CostsService } from './costs.service';
import { AnalysisCostsQuery } from './dto/costs.query';
import { AnalysisCostsResponse } from './dto/costs.response';
import { ApiController } from '@app/common/api-controller';

@ApiController('analysis', 'analysis/costs')
export class CostsController {
  constructor(private readonly costs: CostsService) {}

  /** What analysis cost: every billed Anthropic call at list price, by day and model, by model and by run. */
  @Get()
  @Roles('editor')
  getAnalysisCosts(@Query() query: AnalysisCostsQuery): Promise<AnalysisCostsResponse> {
    return this.costs.costs(query.days ?? 30);
  }
}
