import {
  BadRequestException,
  Controller,
  HttpCode,
  HttpStatus,
  Post,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiTags,
} from '@nestjs/swagger';
import { Roles } from '../auth/auth.constants';
import { AuthenticatedUser, CurrentUser } from '../auth/authenticated-user';
import { TriggerResponse } from './dto/run.response';
import { SyncService } from './sync.service';
import type { StoredUpload } from './uploads/import-uploads.service';

@ApiTags('tickets')
@ApiBearerAuth()
@Controller('tickets')
export class ImportController {
  constructor(private readonly sync: SyncService) {}

  /**
   * Imports tickets from a file (field `file`): a Zendesk export (JSON or one ticket per line), JSONL in the
   * `mine` format, or CSV with a header row, 1 GiB at most (413). The upload is streamed into the database as it
   * arrives, so any worker can run the import; a run then imports it (bad rows are reported by line in the run's
   * errors and skipped) and continues with analysis. 409 while another run is active. Editors and admins.
   */
  @Roles('editor')
  @Post('import')
  @HttpCode(HttpStatus.ACCEPTED)
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } },
  })
  @ApiAcceptedResponse({ type: TriggerResponse })
  @ApiConflictResponse({ description: 'A run is already in progress' })
  async importTickets(
    @UploadedFile() file: StoredUpload | undefined,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<TriggerResponse> {
    if (!file) throw new BadRequestException('file is required (multipart field "file")');
    return { runId: await this.sync.startImport({ upload: file.uploadId }, file.fileName, user) };
  }
}
