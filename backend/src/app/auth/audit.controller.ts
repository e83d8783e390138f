import { Get, Query } from '@nestjs/common';
import { AuditService } from './audit.service';
import { Roles } from './auth.constants';
import { AuditEntryResponse, AuditPageResponse, ListAuditQuery } from './dto/audit.dto';
import { ApiController } from '@app/common/api-controller';

@ApiController('audit', 'audit')
@Roles('admin')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /** The audit log, newest first. */
  @Get()
  async listAudit(@Query() query: ListAuditQuery): Promise<AuditPageResponse> {
    const page = await this.audit.list(query);
    return { ...page, items: page.items.map(AuditEntryResponse.from) };
  }
}
