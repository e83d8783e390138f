import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuditService } from './audit.service';
import { Roles } from './auth.constants';
import { AuditEntryResponse, AuditPageResponse, ListAuditQuery } from './dto/audit.dto';

@ApiTags('audit')
@ApiBearerAuth()
@Roles('admin')
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /** The audit log, newest first. */
  @Get()
  async listAudit(@Query() query: ListAuditQuery): Promise<AuditPageResponse> {
    const page = await this.audit.list(query);
    return { ...page, items: page.items.map(AuditEntryResponse.from) };
  }
}
