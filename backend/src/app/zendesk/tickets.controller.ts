import { BadRequestException, Controller, Get, Param, ParseIntPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ListTicketsQuery } from './dto/list-tickets.query';
import { TicketDetailResponse, TicketPageResponse } from './dto/ticket.response';
import { TicketsService } from './tickets.service';

const zendeskIdPipe = new ParseIntPipe({
  exceptionFactory: () => new BadRequestException('zendeskId must be an integer'),
});

@ApiTags('tickets')
@ApiBearerAuth()
@Controller('tickets')
export class TicketsController {
  constructor(private readonly tickets: TicketsService) {}

  /** Synced tickets (deleted ones hidden), newest first, with search and filters. */
  @Get()
  listTickets(@Query() query: ListTicketsQuery): Promise<TicketPageResponse> {
    return this.tickets.list(query);
  }

  /** One ticket with its thread: public replies and internal notes told apart, authors and roles. */
  @Get(':zendeskId')
  getTicket(@Param('zendeskId', zendeskIdPipe) zendeskId: number): Promise<TicketDetailResponse> {
    return this.tickets.get(zendeskId);
  }
}
