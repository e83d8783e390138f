import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQuery } from '../../common/pagination';
import { CommaList } from '../../issues/dto/comma-list';
import { ALERT_KINDS, AlertKind } from '../alert.types';

export class ListAlertsQuery extends PageQuery {
  /** Comma-separated kinds: emerging, spike, critical, regression. */
  @ApiPropertyOptional({ type: String, description: 'Comma-separated kinds: emerging, spike, critical, regression' })
  @IsOptional()
  @CommaList()
  @IsIn(ALERT_KINDS, { each: true })
  kind?: AlertKind[];
}
