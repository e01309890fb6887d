/** What every command that talks to a manager needs: the profile's address and a client. */
import { UserError } from '../core/index.js';
import { RestClient } from '../client/index.js';
import { readProfile, requireCloudifyDir, type Profile } from './profile.js';

export interface ManagerTarget {
  ip: string;
  port: number;
  protocol: 'http' | 'https';
}

/** A client for the given address with credentials from CLOUDIFY_USERNAME / CLOUDIFY_PASSWORD. */
export function clientFor(target: ManagerTarget, env: NodeJS.ProcessEnv = process.env): RestClient {
  return new RestClient({
    host: target.ip,
    port: target.port,
    protocol: target.protocol,
    ...(env.CLOUDIFY_USERNAME && env.CLOUDIFY_PASSWORD
      ? { username: env.CLOUDIFY_USERNAME, password: env.CLOUDIFY_PASSWORD }
      : {}),
  });
}

/** The manager named by the working directory's profile, or the 3.3 error telling to run `cfy use`. */
export function currentManager(cwd = process.cwd()): { target: ManagerTarget; client: RestClient; profile: Profile; cloudifyDir: string } {
  const cloudifyDir = requireCloudifyDir(cwd);
  const profile = readProfile(cloudifyDir);
  if (!profile.management_ip) {
    throw new UserError(
      'no_manager_error',
      "Must either first run 'cfy use' command for a management server or provide a management server ip explicitly",
      { hints: ["Run 'cfy use -t IP --port PORT' while the manager is running"] },
    );
  }
  const target: ManagerTarget = { ip: profile.management_ip, port: profile.rest_port, protocol: profile.protocol };
  return { target, client: clientFor(target), profile, cloudifyDir };
}
