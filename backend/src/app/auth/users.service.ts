import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  Injectable,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource, EntityManager, ILike, Repository } from 'typeorm';
import { pageWindow } from '@app/common/pagination';
import { ConfigError } from '@app/config/app-config';
import { AuditService } from './audit.service';
import type { AuthenticatedUser } from './authenticated-user';
import { CreateUserRequest } from './dto/create-user.request';
import { ListUsersQuery } from './dto/list-users.query';
import { UpdateUserRequest } from './dto/update-user.request';
import { Role, User } from './entities/user.entity';
import { hashPassword } from './password';
import { SessionCache } from './session-cache';
import { isUniqueViolation } from '@app/common/errors';

const LAST_ADMIN = 'At least one active admin must remain';

@Injectable()
export class UsersService {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly sessions: SessionCache,
  ) {}

  async list(query: ListUsersQuery): Promise<{ items: User[]; total: number; page: number; perPage: number }> {
    const { skip, take, page, perPage } = pageWindow(query);
    const search = query.search?.trim();
    const where = search
      ? [{ email: ILike(`%${escapeLike(search)}%`) }, { name: ILike(`%${escapeLike(search)}%`) }]
      : {};
    const [items, total] = await this.users.findAndCount({ where, order: { email: 'ASC' }, skip, take });
    return { items, total, page, perPage };
  }

  /** The user `id` (404 when there is none); in the caller's transaction with `manager`. */
  async get(id: string, manager?: EntityManager): Promise<User> {
    const user = await (manager ? manager.getRepository(User) : this.users).findOneBy({ id });
    if (!user) throw new NotFoundException(`User ${id} not found`);
    return user;
  }

  async create(input: CreateUserRequest, actor: AuthenticatedUser | null): Promise<User> {
    const passwordHash = await hashPassword(input.password);
    const inUse = () => new ConflictException(`email ${input.email} is already in use`);
    return (
      this.dataSource
        .transaction(async (manager) => {
          const repo = manager.getRepository(User);
          if (await repo.existsBy({ email: input.email })) throw inUse();
          const user = await repo.save(
            repo.create({ email: input.email, name: input.name ?? '', role: input.role, passwordHash }),
          );
          await this.audit.record(
            { actor, action: 'user.create', entityType: 'user', entityId: user.id, after: snapshot(user) },
            manager,
          );
          return user;
        })
        // Two creations of one email at the same moment (e.g. replicas creating the first admin): the unique index
        // refuses the second, which is the same 409 as the check above.
        .catch((error: unknown) => {
          throw isUniqueViolation(error, 'users_email_key') ? inUse() : error;
        })
    );
  }

  async update(id: string, input: UpdateUserRequest, actor: AuthenticatedUser): Promise<User> {
    const passwordHash = input.password ? await hashPassword(input.password) : undefined;
    // Forgotten after the commit, so no request in between caches the old role or token version again.
    return this.dataSource
      .transaction(async (manager) => {
        const repo = manager.getRepository(User);
        const user = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
        if (!user) throw new NotFoundException(`User ${id} not found`);
        const before = snapshot(user);
        const losesAdmin =
          user.role === 'admin' &&
          !user.disabled &&
          ((input.role && input.role !== 'admin') || input.disabled === true);
        if (losesAdmin) await this.assertAnotherActiveAdmin(manager, user.id);
        const revokesTokens =
          passwordHash !== undefined ||
          (input.role !== undefined && input.role !== user.role) ||
          (input.disabled !== undefined && input.disabled !== user.disabled);
        if (input.name !== undefined) user.name = input.name;
        if (input.role !== undefined) user.role = input.role;
        if (input.disabled !== undefined) user.disabled = input.disabled;
        if (passwordHash !== undefined) user.passwordHash = passwordHash;
        if (revokesTokens) user.tokenVersion += 1;
        const saved = await repo.save(user);
        const after = { ...snapshot(saved), ...(passwordHash !== undefined ? { passwordChanged: true } : {}) };
        await this.audit.record(
          { actor, action: 'user.update', entityType: 'user', entityId: id, before, after },
          manager,
        );
        return saved;
      })
      .finally(() => this.sessions.forget(id));
  }

  async remove(id: string, actor: AuthenticatedUser): Promise<void> {
    if (id === actor.id) throw new BadRequestException('id: you cannot delete your own account');
    await this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(User);
      const user = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!user) throw new NotFoundException(`User ${id} not found`);
      if (user.role === 'admin' && !user.disabled) await this.assertAnotherActiveAdmin(manager, user.id);
      await repo.delete({ id });
      await this.audit.record(
        { actor, action: 'user.delete', entityType: 'user', entityId: id, before: snapshot(user) },
        manager,
      );
    });
    this.sessions.forget(id);
  }

  /**
   * The user an identity provider vouched for, created on first sign-in (just in time: a viewer unless `role` says
   * otherwise, with an unusable random password) or given `role` when it changed at the provider. A user disabled
   * here stays refused (403). The last active admin is never demoted this way (it keeps admin, with a warning).
   * With `manager`, runs in the caller's transaction (its connection: the embedded database has only one).
   */
  async provisionFromSso(
    identity: { email: string; name: string; role?: Role },
    manager?: EntityManager,
    retried = false,
  ): Promise<User> {
    const passwordHash = await hashPassword(randomBytes(32).toString('base64url'));
    let changed: string | undefined;
    const provision = async (m: EntityManager) => {
      const result = await this.provisionIn(m, identity, passwordHash);
      changed = result.changed ? result.user.id : undefined;
      return result.user;
    };
    if (manager) return provision(manager).finally(() => changed && this.sessions.forget(changed));
    return this.dataSource
      .transaction(provision)
      .catch((error: unknown) => {
        // Two first sign-ins of one user at once: the second finds the row the first created.
        if (!retried && isUniqueViolation(error, 'users_email_key')) {
          return this.provisionFromSso(identity, undefined, true);
        }
        throw error;
      })
      .finally(() => changed && this.sessions.forget(changed));
  }

  private async provisionIn(
    manager: EntityManager,
    identity: { email: string; name: string; role?: Role },
    passwordHash: string,
  ): Promise<{ user: User; changed: boolean }> {
    const repo = manager.getRepository(User);
    const user = await repo.findOne({ where: { email: identity.email }, lock: { mode: 'pessimistic_write' } });
    if (!user) {
      const created = await repo.save(
        repo.create({ email: identity.email, name: identity.name, role: identity.role ?? 'viewer', passwordHash }),
      );
      const actor = { id: created.id, email: created.email, role: created.role };
      const after = { ...snapshot(created), source: 'sso' };
      await this.audit.record(
        { actor, action: 'user.create', entityType: 'user', entityId: created.id, after },
        manager,
      );
      return { user: created, changed: false };
    }
    if (user.disabled) throw new ForbiddenException(`The account ${user.email} is disabled here`);
    if (!identity.role || identity.role === user.role) return { user, changed: false };
    if (user.role === 'admin' && !(await this.hasAnotherActiveAdmin(manager, user.id))) {
      this.logger.warn({ email: user.email, role: identity.role }, 'SSO role not applied: last active admin');
      return { user, changed: false };
    }
    const before = snapshot(user);
    user.role = identity.role;
    user.tokenVersion += 1;
    const saved = await repo.save(user);
    const actor = { id: user.id, email: user.email, role: user.role };
    const after = { ...snapshot(saved), source: 'sso' };
    await this.audit.record(
      { actor, action: 'user.update', entityType: 'user', entityId: user.id, before, after },
      manager,
    );
    return { user: saved, changed: true };
  }

  /**
   * Creates the first admin when there are no users. Returns the generated password when none was configured
   * (zero-config), so the caller can print it once; it is stored only as a hash.
   */
  async ensureFirstAdmin(
    email: string,
    password: string | undefined,
    allowGenerated: boolean,
  ): Promise<{ created: boolean; generatedPassword?: string }> {
    if ((await this.users.count()) > 0) return { created: false };
    if (!password && !allowGenerated) {
      throw new ConfigError(
        'Invalid environment: ADMIN_PASSWORD is required to create the first admin when NODE_ENV=production',
      );
    }
    const generatedPassword = password ? undefined : randomBytes(12).toString('base64url');
    try {
      await this.create(
        { email, name: 'Administrator', role: 'admin', password: password ?? generatedPassword! },
        null,
      );
    } catch (error) {
      // Another process created it at the same moment.
      if (error instanceof ConflictException) return { created: false };
      throw error;
    }
    this.logger.log(`Created the first admin ${email}`);
    return { created: true, generatedPassword };
  }

  private async assertAnotherActiveAdmin(manager: EntityManager, exceptId: string): Promise<void> {
    if (!(await this.hasAnotherActiveAdmin(manager, exceptId))) throw new ConflictException(LAST_ADMIN);
  }

  private async hasAnotherActiveAdmin(manager: EntityManager, exceptId: string): Promise<boolean> {
    // Lock the other admins' rows (FOR UPDATE cannot take an aggregate) so two concurrent removals cannot both pass.
    const admins = await manager
      .getRepository(User)
      .createQueryBuilder('u')
      .select('u.id')
      .setLock('pessimistic_write')
      .where('u.role = :role AND u.disabled = false AND u.id <> :id', { role: 'admin', id: exceptId })
      .getMany();
    return admins.length > 0;
  }
}

function snapshot(user: User): Record<string, unknown> {
  return { email: user.email, name: user.name, role: user.role, disabled: user.disabled };
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
