import { Module } from '@nestjs/common';
import { UploadRepository } from '../repositories/upload.repository';
import { ImportUploadsService } from './import-uploads.service';

/** Uploaded import files kept in PostgreSQL; its own module so the multer options of the sync module can use it. */
@Module({ providers: [UploadRepository, ImportUploadsService], exports: [ImportUploadsService] })
export class ImportUploadsModule {}
