import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { PageQuery } from '@app/common/pagination';
import { ALERT_KINDS, AlertKind } from '../alert.types';
import { OptionalList } from '@app/common/dto-decorators';

export class ListAlertsQuery extends PageQuery {
  /** Comma-separated kinds: emerging, spike, critical, regression. */
  @ApiPropertyOptional({ type: String, description: 'Comma-separated kinds: emerging, spike, critical, regression' })
  @OptionalList()
  @IsIn(ALERT_KINDS, { each: true })
  kind?: AlertKind[];
}
