import { Body, Delete, Get, HttpCode, HttpStatus, Patch, Post, Query } from '@nestjs/common';
import { AuthenticatedUser, CurrentUser } from './authenticated-user';
import { CreateUserRequest } from './dto/create-user.request';
import { ListUsersQuery } from './dto/list-users.query';
import { UpdateUserRequest } from './dto/update-user.request';
import { UserPageResponse, UserResponse } from './dto/user.response';
import { UsersService } from './users.service';
import { ApiController, mapPage, UuidParam } from '@app/common/api-controller';

@ApiController('users', 'users', 'admin')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  async listUsers(@Query() query: ListUsersQuery): Promise<UserPageResponse> {
    return mapPage(await this.users.list(query), UserResponse.from);
  }

  @Post()
  async createUser(@Body() body: CreateUserRequest, @CurrentUser() actor: AuthenticatedUser): Promise<UserResponse> {
    return UserResponse.from(await this.users.create(body, actor));
  }

  @Get(':id')
  async getUser(@UuidParam() id: string): Promise<UserResponse> {
    return UserResponse.from(await this.users.get(id));
  }

  /** Changes name, role, disabled or password. The last active admin cannot be demoted or disabled. */
  @Patch(':id')
  async updateUser(
    @UuidParam() id: string,
    @Body() body: UpdateUserRequest,
    @CurrentUser() actor: AuthenticatedUser,
  ): Promise<UserResponse> {
    return UserResponse.from(await this.users.update(id, body, actor));
  }

  /** Deletes a user. Nobody can delete themselves or the last active admin. */
  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  async removeUser(@UuidParam() id: string, @CurrentUser() actor: AuthenticatedUser): Promise<void> {
    await this.users.remove(id, actor);
  }
}
