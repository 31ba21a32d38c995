import type { Pool } from "@authflow/service-kit";

export interface User {
  id: string;
  email: string;
  name: string | null;
  passwordHash: string;
  roles: string[];
  emailVerified: boolean;
}

interface UserRow {
  id: string;
  email: string;
  name: string | null;
  password_hash: string;
  roles: string[];
  email_verified: boolean;
}

const toUser = (r: UserRow): User => ({
  id: r.id,
  email: r.email,
  name: r.name,
  passwordHash: r.password_hash,
  roles: r.roles,
  emailVerified: r.email_verified,
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class EmailTakenError extends Error {
  override name = "EmailTakenError";
}

export class UserRepository {
  constructor(private readonly pool: Pool) {}

  async create(input: { email: string; name: string | null; passwordHash: string }): Promise<User> {
    try {
      const { rows } = await this.pool.query<UserRow>(
        `INSERT INTO users (email, name, password_hash) VALUES ($1, $2, $3) RETURNING *`,
        [input.email, input.name, input.passwordHash],
      );
      return toUser(rows[0] as UserRow);
    } catch (err) {
      if ((err as { code?: string }).code === "23505") throw new EmailTakenError();
      throw err;
    }
  }

  async findByEmail(email: string): Promise<User | undefined> {
    const { rows } = await this.pool.query<UserRow>(
      "SELECT * FROM users WHERE lower(email) = lower($1)",
      [email],
    );
    return rows[0] && toUser(rows[0]);
  }

  /** `undefined` for anything that is not a user id (a client id as `sub`, say). */
  async findById(id: string): Promise<User | undefined> {
    if (!UUID.test(id)) return undefined;
    const { rows } = await this.pool.query<UserRow>("SELECT * FROM users WHERE id = $1", [id]);
    return rows[0] && toUser(rows[0]);
  }

  async updatePasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.pool.query("UPDATE users SET password_hash = $2 WHERE id = $1", [id, passwordHash]);
  }
}
