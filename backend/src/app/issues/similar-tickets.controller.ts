import { BadRequestException, Controller, Get, Param, ParseIntPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { SimilarTicketsQuery } from './dto/similar-tickets.query';
import { SimilarTicketsResponse } from './dto/similar-tickets.response';
import { SimilarTicketsService } from './similar-tickets.service';

const zendeskIdPipe = new ParseIntPipe({
  exceptionFactory: () => new BadRequestException('zendeskId must be an integer'),
});

@ApiTags('tickets')
@ApiBearerAuth()
@Controller('tickets')
export class SimilarTicketsController {
  constructor(private readonly similar: SimilarTicketsService) {}

  /** Tickets most similar to this one by their text (subject weighted, description), shared clusters breaking ties. */
  @Get(':zendeskId/similar')
  listSimilarTickets(
    @Param('zendeskId', zendeskIdPipe) zendeskId: number,
    @Query() query: SimilarTicketsQuery,
  ): Promise<SimilarTicketsResponse> {
    return this.similar.similar(zendeskId, query.limit ?? 10);
  }
}
