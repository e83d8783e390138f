import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ListTicketsQuery } from './dto/list-tickets.query';
import { TicketPageResponse } from './dto/ticket.response';
import { TicketsService } from './tickets.service';

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
}
