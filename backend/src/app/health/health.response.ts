import { ApiProperty } from '@nestjs/swagger';

export class HealthResponse {
  /** `ok` when everything answers, `degraded` when only Redis is down, `down` when the database is down. */
  @ApiProperty({ enum: ['ok', 'degraded', 'down'] })
  status!: 'ok' | 'degraded' | 'down';
  @ApiProperty({ enum: ['up', 'down'] })
  db!: 'up' | 'down';
  @ApiProperty({ enum: ['up', 'down', 'disabled'] })
  redis!: 'up' | 'down' | 'disabled';
}
