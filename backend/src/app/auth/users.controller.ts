import { Body, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import { Roles } from './auth.constants';
import { AuthenticatedUser, CurrentUser } from './authenticated-user';
import { CreateUserRequest } from './dto/create-user.request';
import { ListUsersQuery } from './dto/list-users.query';
import { UpdateUserRequest } from './dto/update-user.request';
import { UserPageResponse, UserResponse } from './dto/user.response';
import { UsersService } from './users.service';
import { UuidPipe } from '@app/common/param-pipes';
import { ApiController } from '@app/common/api-controller';

@ApiController('users', 'users')
@Roles('admin')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  async listUsers(@Query() query: ListUsersQuery): Promise<UserPageResponse> {
    const page = await this.users.list(query);
    return { ...page, items: page.items.map(UserResponse.from) };
  }

  @Post()
  async createUser(@Body() body: CreateUserRequest, @CurrentUser() actor: AuthenticatedUser): Promise<UserResponse> {
    return UserResponse.from(await this.users.create(body, actor));
  }

  @Get(':id')
  async getUser(@Param('id', UuidPipe) id: string): Promise<UserResponse> {
    return UserResponse.from(await this.users.get(id));
  }

  /** Changes name, role, disabled or password. The last active admin cannot be demoted or disabled. */
  @Patch(':id')
  async updateUser(
    @Param('id', UuidPipe) id: string,
    @Body() body: UpdateUserRequest,
    @CurrentUser() actor: AuthenticatedUser,
  ): Promise<UserResponse> {
    return UserResponse.from(await this.users.update(id, body, actor));
  }

  /** Deletes a user. Nobody can delete themselves or the last active admin. */
  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  async removeUser(@Param('id', UuidPipe) id: string, @CurrentUser() actor: AuthenticatedUser): Promise<void> {
    await this.users.remove(id, actor);
  }
}
