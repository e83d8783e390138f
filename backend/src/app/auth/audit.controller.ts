import { Get, Query } from '@nestjs/common';
import { AuditService } from './audit.service';
import { AuditEntryResponse, AuditPageResponse, ListAuditQuery } from './dto/audit.dto';
import { ApiController, mapPage } from '@app/common/api-controller';

@ApiController('audit', 'audit', 'admin')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /** The audit log, newest first. */
  @Get()
  async listAudit(@Query() query: ListAuditQuery): Promise<AuditPageResponse> {
    return mapPage(await this.audit.list(query), AuditEntryResponse.from);
  }
}
