import { DynamicModule, Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { AnalysisModule } from '@app/analysis/analysis.module';
import { AuthModule } from '@app/auth/auth.module';
import { AppConfig } from '@app/config/app-config';
import { IssuesModule } from '@app/issues/issues.module';
import { ImportUploadsModule } from '@app/pipeline/uploads/import-uploads.module';
import { ImportUploadsService } from '@app/pipeline/uploads/import-uploads.service';
import { importUploadOptions } from '@app/pipeline/uploads/postgres-upload.storage';
import { TicketsModule } from '@app/tickets/tickets.module';
import { AnalysisController } from './analysis.controller';
import { TicketsController } from './tickets.controller';

/**
 * The routes whose answer spans modules (`/tickets`: the ticket with its analysis, similar tickets, import and
 * re-analysis runs). It depends on the modules; none depends on it. Not served by worker processes.
 */
@Module({})
export class ApiModule {
  static forRoot(config: AppConfig, pipeline: DynamicModule): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        AuthModule,
        TicketsModule,
        AnalysisModule,
        IssuesModule,
        pipeline,
        // Uploads stream into PostgreSQL as they arrive (never buffered whole, never on the API's disk): whichever
        // process runs the import reads them from there.
        MulterModule.registerAsync({
          imports: [ImportUploadsModule],
          inject: [ImportUploadsService],
          useFactory: importUploadOptions,
        }),
      ],
      controllers: config.processRole === 'worker' ? [] : [TicketsController, AnalysisController],
    };
  }
}
