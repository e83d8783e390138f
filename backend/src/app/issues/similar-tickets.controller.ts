import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { SimilarTicketsQuery } from './dto/similar-tickets.query';
import { SimilarTicketsResponse } from './dto/similar-tickets.response';
import { SimilarTicketsService } from './similar-tickets.service';
import { BigintIdPipe } from '../common/param-pipes';

@ApiTags('tickets')
@ApiBearerAuth()
@Controller('tickets')
export class SimilarTicketsController {
  constructor(private readonly similar: SimilarTicketsService) {}

  /** Tickets most similar to this one by their text (subject weighted, description), shared clusters breaking ties. */
  @Get(':zendeskId/similar')
  listSimilarTickets(
    @Param('zendeskId', BigintIdPipe) zendeskId: number,
    @Query() query: SimilarTicketsQuery,
  ): Promise<SimilarTicketsResponse> {
    return this.similar.similar(zendeskId, query.limit ?? 10);
  }
}
