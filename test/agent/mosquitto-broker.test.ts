/**
 * Chaos suite against a real external mosquitto started by the test (random free port on
 * 127.0.0.1, config + password file + ACL generated from the registry into a temp dir, stopped by
 * pid). Skips with a message when /usr/sbin/mosquitto is missing (scripts/setup.sh installs it).
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { mosquittoAclFile, mosquittoConfFile, mosquittoPasswordFile } from '../../src/messaging/index.js';
import { waitFor } from '../messaging/helpers.js';
import { freePort, killGroup } from './harness.js';
import { processSuite } from './process-suite.js';

const MOSQUITTO = '/usr/sbin/mosquitto';

function portOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

if (!existsSync(MOSQUITTO)) {
  test('mosquitto profile', { skip: `${MOSQUITTO} is not installed (run scripts/setup.sh or apt-get install -y mosquitto)` }, () => undefined);
} else {
  processSuite({
    name: 'mosquitto',
    async setup(data, registry, managerSecret) {
      const host = '127.0.0.1';
      const port = await freePort(host);
      const passwordFile = join(data, 'mosquitto.passwd');
      const aclFile = join(data, 'mosquitto.acl');
      const confFile = join(data, 'mosquitto.conf');
      writeFileSync(passwordFile, await mosquittoPasswordFile(registry, managerSecret), { mode: 0o600 });
      writeFileSync(aclFile, mosquittoAclFile());
      // started as root (CI containers), mosquitto would switch to user "mosquitto", which cannot read the temp dir
      writeFileSync(confFile, mosquittoConfFile({ host, port, passwordFile, aclFile, ...(process.getuid?.() === 0 ? { user: 'root' } : {}) }));
      const child = spawn(MOSQUITTO, ['-c', confFile], { detached: true, stdio: ['ignore', 'ignore', 'inherit'] });
      await waitFor('mosquitto listening', () => portOpen(host, port), 10_000);
      return { manager: { url: `mqtt://${host}:${port}` }, agentBroker: { host, port }, teardown: () => killGroup(child, 'SIGTERM') };
    },
  });
}
