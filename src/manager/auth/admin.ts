/**
 * First-start admin user. The password comes from, in order: the `--admin-password-file`
 * file, `REKINDLE_ADMIN_PASSWORD`, or is generated, printed once and written to
 * `<data-dir>/admin-password` (mode 0600).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../core/index.js';
import { badParameters } from '../errors.js';
import type { ManagerStorePort } from '../store/port.js';
import { generateSecret, hashPassword } from './passwords.js';

export const adminUsername = 'admin';

export interface AdminBootstrapOptions {
  dataDir: string;
  passwordFile?: string | undefined;
  envPassword?: string | undefined;
  now: () => Date;
  /** Called once with the generated password (the process prints it to stderr). */
  announce?: (message: string) => void;
}

export interface AdminBootstrapResult {
  created: boolean;
  /** Where the password came from. */
  source: 'existing' | 'file' | 'env' | 'generated';
}

/** Creates the admin user when the store has no users yet. */
export async function ensureAdminUser(store: ManagerStorePort, options: AdminBootstrapOptions): Promise<AdminBootstrapResult> {
  if ((await store.users.get(adminUsername)) !== undefined) return { created: false, source: 'existing' };
  let password: string;
  let source: AdminBootstrapResult['source'];
  if (options.passwordFile !== undefined) {
    if (!existsSync(options.passwordFile)) {
      throw badParameters(`Admin password file ${options.passwordFile} does not exist`, { file: options.passwordFile });
    }
    password = readFileSync(options.passwordFile, 'utf8').trim();
    source = 'file';
  } else if (options.envPassword !== undefined && options.envPassword !== '') {
    password = options.envPassword;
    source = 'env';
  } else {
    password = generateSecret();
    source = 'generated';
    const file = join(options.dataDir, 'admin-password');
    writeFileAtomic(file, `${password}\n`, 0o600);
    options.announce?.(
      `Generated the password of user '${adminUsername}': ${password} (also written to ${file}, mode 0600)`,
    );
  }
  if (password.length === 0) throw badParameters('The admin password is empty', { source });
  await store.users.insert({
    username: adminUsername,
    password_hash: await hashPassword(password),
    role: 'admin',
    created_at: options.now().toISOString(),
  });
  return { created: true, source };
}
